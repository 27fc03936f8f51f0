package dev.chorus.serve.schedule;

import dev.chorus.serve.ExpertBackend;
import dev.chorus.serve.GenerationJob;
import dev.chorus.serve.local.BatchSession;
import dev.chorus.serve.local.LocalExpert;

/** Opens continuous-batching runs on local experts: an {@link ExpertRun} over a {@link BatchSession}. */
public final class LocalRuns implements ExpertRun.Opener {
    @Override
    public ExpertRun open(ExpertBackend expert) {
        if (!(expert instanceof LocalExpert local)) {
            throw new IllegalArgumentException("expert '" + expert.id() + "' is not a local expert");
        }
        BatchSession session = local.openBatch();
        return new ExpertRun() {
            @Override
            public void join(GenerationJob job) {
                session.join(job);
            }

            @Override
            public int active() {
                return session.active();
            }

            @Override
            public void step() {
                session.step();
            }

            @Override
            public void failAll(Throwable error) {
                session.failAll(error);
            }

            @Override
            public void close() {
                session.close();
            }
        };
    }
}
