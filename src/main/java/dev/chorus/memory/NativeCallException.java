package dev.chorus.memory;

import dev.chorus.ChorusException;

/** A libc call made through FFM failed; the message names the call, the errno and its meaning. */
public final class NativeCallException extends ChorusException {
    private final String function;
    private final int errno;

    public NativeCallException(String function, int errno, String detail) {
        super(function + " failed: " + Errno.name(errno) + " (" + Libc.strerror(errno) + ")"
                + (detail == null || detail.isEmpty() ? "" : " " + detail));
        this.function = function;
        this.errno = errno;
    }

    public String function() {
        return function;
    }

    public int errno() {
        return errno;
    }

    /** True when the call failed because a resource limit or permission forbade it (mlock over RLIMIT_MEMLOCK). */
    public boolean isLimitOrPermission() {
        return errno == Errno.ENOMEM || errno == Errno.EPERM || errno == Errno.EAGAIN;
    }
}
