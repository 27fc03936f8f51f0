package dev.chorus.memory;

import java.lang.foreign.MemorySegment;

/** Locks mapped weights in RAM. The native one calls mlock/munlock; tests substitute one that refuses. */
public interface PageLocker {
    void lock(MemorySegment mapped);

    void unlock(MemorySegment mapped);

    PageLocker NATIVE = new PageLocker() {
        @Override
        public void lock(MemorySegment mapped) {
            Residency.lock(mapped);
        }

        @Override
        public void unlock(MemorySegment mapped) {
            Residency.unlock(mapped);
        }
    };
}
