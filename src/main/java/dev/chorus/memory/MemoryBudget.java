package dev.chorus.memory;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A byte budget for one tier. Reservations are made before memory is used and released after it is freed, so the
 * reserved total never exceeds the capacity; the high-water mark lets tests check that under concurrency.
 */
public final class MemoryBudget {
    private final String name;
    private final long capacity;
    private final AtomicLong reserved = new AtomicLong();
    private final AtomicLong highWater = new AtomicLong();

    public MemoryBudget(String name, long capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException(name + " budget must not be negative: " + capacity);
        }
        this.name = name;
        this.capacity = capacity;
    }

    /** Reserves the bytes if they fit; never over-commits. */
    public boolean tryReserve(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("negative reservation: " + bytes);
        }
        while (true) {
            long current = reserved.get();
            if (current + bytes > capacity) {
                return false;
            }
            if (reserved.compareAndSet(current, current + bytes)) {
                highWater.accumulateAndGet(current + bytes, Math::max);
                return true;
            }
        }
    }

    public void release(long bytes) {
        long after = reserved.addAndGet(-bytes);
        if (after < 0) {
            throw new IllegalStateException(name + " budget released more than reserved (" + after + ")");
        }
    }

    public String name() {
        return name;
    }

    public long capacity() {
        return capacity;
    }

    public long used() {
        return reserved.get();
    }

    public long free() {
        return capacity - reserved.get();
    }

    public long highWater() {
        return highWater.get();
    }
}
