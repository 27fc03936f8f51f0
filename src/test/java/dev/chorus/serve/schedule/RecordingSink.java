package dev.chorus.serve.schedule;

import dev.chorus.serve.FinishReason;
import dev.chorus.serve.GeneratedToken;
import dev.chorus.serve.ServedFrom;
import dev.chorus.serve.TokenSink;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Collects what one request produced; checks the sink protocol (started once, then tokens, then one end). */
class RecordingSink implements TokenSink {
    final List<Integer> ids = new CopyOnWriteArrayList<>();
    final StringBuilder text = new StringBuilder();
    volatile ServedFrom servedFrom;
    volatile FinishReason finish;
    volatile Throwable error;
    volatile long startedNanos;
    volatile long endedNanos;
    private final CountDownLatch done = new CountDownLatch(1);

    @Override
    public void started(ServedFrom from) {
        if (servedFrom != null) {
            throw new AssertionError("started twice");
        }
        servedFrom = from;
        startedNanos = System.nanoTime();
    }

    @Override
    public synchronized void token(GeneratedToken token) {
        if (servedFrom == null || done.getCount() == 0) {
            throw new AssertionError("token outside started..finished");
        }
        if (token.id() >= 0) {
            ids.add(token.id());
        }
        text.append(token.text());
    }

    @Override
    public void finished(FinishReason reason) {
        end();
        finish = reason;
        done.countDown();
    }

    @Override
    public void failed(Throwable t) {
        end();
        error = t;
        done.countDown();
    }

    private void end() {
        if (done.getCount() == 0) {
            throw new AssertionError("ended twice");
        }
        endedNanos = System.nanoTime();
    }

    boolean await(long seconds) throws InterruptedException {
        return done.await(seconds, TimeUnit.SECONDS);
    }

    boolean ended() {
        return done.getCount() == 0;
    }
}
