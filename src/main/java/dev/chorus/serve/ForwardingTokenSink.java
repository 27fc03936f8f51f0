package dev.chorus.serve;

/** A {@link TokenSink} that passes every event on to another; subclasses override the events they change. */
public abstract class ForwardingTokenSink implements TokenSink {
    protected final TokenSink target;

    protected ForwardingTokenSink(TokenSink target) {
        this.target = target;
    }

    @Override
    public void started(ServedFrom servedFrom) {
        target.started(servedFrom);
    }

    @Override
    public void token(GeneratedToken token) {
        target.token(token);
    }

    @Override
    public void finished(FinishReason reason) {
        target.finished(reason);
    }

    @Override
    public void failed(Throwable error) {
        target.failed(error);
    }
}
