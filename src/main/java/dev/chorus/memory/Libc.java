package dev.chorus.memory;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Raw libc downcalls (Linux, 64-bit) through FFM. Every call that reports failures through errno captures it with
 * {@code Linker.Option.captureCallState("errno")} and turns a failure into a {@link NativeCallException}. Callers see
 * only the checked wrappers; the handles stay private.
 */
final class Libc {
    static final int MADV_SEQUENTIAL = 2;
    static final int MADV_WILLNEED = 3;
    static final int MADV_DONTNEED = 4;
    static final int MADV_POPULATE_READ = 22;
    static final int POSIX_FADV_SEQUENTIAL = 2;
    static final int POSIX_FADV_WILLNEED = 3;
    static final int POSIX_FADV_DONTNEED = 4;
    private static final int O_RDONLY = 0;
    private static final int O_CLOEXEC = 0x80000;
    private static final int RLIMIT_MEMLOCK = 8;
    private static final int SC_PAGESIZE = 30;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LOOKUP = LINKER.defaultLookup();
    private static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE_LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

    private static final MethodHandle MADVISE = errnoCall("madvise", JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT);
    private static final MethodHandle MLOCK = errnoCall("mlock", JAVA_INT, ADDRESS, JAVA_LONG);
    private static final MethodHandle MUNLOCK = errnoCall("munlock", JAVA_INT, ADDRESS, JAVA_LONG);
    private static final MethodHandle MINCORE = errnoCall("mincore", JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS);
    private static final MethodHandle GETRLIMIT = errnoCall("getrlimit", JAVA_INT, JAVA_INT, ADDRESS);
    private static final MethodHandle SYSCONF = errnoCall("sysconf", JAVA_LONG, JAVA_INT);
    private static final MethodHandle CLOSE = errnoCall("close", JAVA_INT, JAVA_INT);
    private static final MethodHandle FDATASYNC = errnoCall("fdatasync", JAVA_INT, JAVA_INT);
    // open(2) is variadic: the mode argument is passed as the (unused) variadic int, as the C ABI requires.
    private static final MethodHandle OPEN = LINKER.downcallHandle(find("open"),
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT),
            CAPTURE_ERRNO, Linker.Option.firstVariadicArg(2));
    // posix_fadvise returns the error number instead of setting errno.
    private static final MethodHandle POSIX_FADVISE = LINKER.downcallHandle(find("posix_fadvise"),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT));
    private static final MethodHandle STRERROR = LINKER.downcallHandle(find("strerror"),
            FunctionDescriptor.of(ADDRESS, JAVA_INT));

    private Libc() {
    }

    private static MemorySegment find(String name) {
        return LOOKUP.find(name).orElseThrow(() -> new UnsupportedOperationException(
                "libc function " + name + " not found: residency control needs Linux glibc"));
    }

    private static MethodHandle errnoCall(String name, java.lang.foreign.MemoryLayout result,
                                          java.lang.foreign.MemoryLayout... args) {
        return LINKER.downcallHandle(find(name), FunctionDescriptor.of(result, args), CAPTURE_ERRNO);
    }

    static void madvise(MemorySegment region, int advice) {
        call("madvise", region, (state) -> (int) MADVISE.invokeExact(state, region, region.byteSize(), advice));
    }

    static void mlock(MemorySegment region) {
        call("mlock", region, (state) -> (int) MLOCK.invokeExact(state, region, region.byteSize()));
    }

    static void munlock(MemorySegment region) {
        call("munlock", region, (state) -> (int) MUNLOCK.invokeExact(state, region, region.byteSize()));
    }

    /** mincore over a page-aligned region; vector gets one byte per page (bit 0 = resident). */
    static void mincore(MemorySegment region, MemorySegment vector) {
        call("mincore", region, (state) -> (int) MINCORE.invokeExact(state, region, region.byteSize(), vector));
    }

    /** The soft RLIMIT_MEMLOCK in bytes, or -1 when unlimited. */
    static long memlockLimit() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE_LAYOUT);
            MemorySegment rlimit = arena.allocate(JAVA_LONG, 2);
            int rc = (int) GETRLIMIT.invokeExact(state, RLIMIT_MEMLOCK, rlimit);
            if (rc != 0) {
                throw new NativeCallException("getrlimit(RLIMIT_MEMLOCK)", (int) ERRNO.get(state, 0L), null);
            }
            return rlimit.getAtIndex(JAVA_LONG, 0); // RLIM_INFINITY is ~0UL, i.e. -1 as a signed long
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static long pageSize() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE_LAYOUT);
            long size = (long) SYSCONF.invokeExact(state, SC_PAGESIZE);
            if (size <= 0) {
                throw new NativeCallException("sysconf(_SC_PAGESIZE)", (int) ERRNO.get(state, 0L), null);
            }
            return size;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int open(String path) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE_LAYOUT);
            int fd = (int) OPEN.invokeExact(state, arena.allocateFrom(path), O_RDONLY | O_CLOEXEC, 0);
            if (fd < 0) {
                throw new NativeCallException("open", (int) ERRNO.get(state, 0L), path);
            }
            return fd;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static void close(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE_LAYOUT);
            if ((int) CLOSE.invokeExact(state, fd) != 0) {
                throw new NativeCallException("close", (int) ERRNO.get(state, 0L), "fd " + fd);
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static void fdatasync(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE_LAYOUT);
            if ((int) FDATASYNC.invokeExact(state, fd) != 0) {
                throw new NativeCallException("fdatasync", (int) ERRNO.get(state, 0L), "fd " + fd);
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static void posixFadvise(int fd, long offset, long length, int advice) {
        int rc;
        try {
            rc = (int) POSIX_FADVISE.invokeExact(fd, offset, length, advice);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        if (rc != 0) {
            throw new NativeCallException("posix_fadvise", rc, "advice " + advice);
        }
    }

    static String strerror(int errno) {
        try {
            MemorySegment text = (MemorySegment) STRERROR.invokeExact(errno);
            return text.equals(MemorySegment.NULL) ? "unknown error" : text.reinterpret(256).getString(0);
        } catch (Throwable t) {
            return "unknown error";
        }
    }

    @FunctionalInterface
    private interface ErrnoCall {
        int invoke(MemorySegment captureState) throws Throwable;
    }

    private static void call(String function, MemorySegment region, ErrnoCall call) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE_LAYOUT);
            if (call.invoke(state) != 0) {
                throw new NativeCallException(function, (int) ERRNO.get(state, 0L),
                        "on " + region.byteSize() + " bytes at 0x" + Long.toHexString(region.address()));
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException("native call failed", t);
    }
}
