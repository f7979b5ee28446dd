package io.skelstream.it.bench;

import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code devices} devices sending in real time at {@code fps}: every 1/fps s one frame per device, its capture time
 * the wall clock at that tick (so capture-to-event latency is measured against the real send time). Device {@code d}
 * starts {@code d * staggerTicks / devices} ticks after the first, so with a stagger of one hop the devices' windows
 * end evenly spread over each hop, as independent cameras' tracks do; with 0 every device's windows end at the same
 * instants (phase-locked cameras: one burst of windows per hop, the worst case for latency). Runs on its own
 * thread until stopped; counts the frames the broker acknowledged and the ticks it could not send on time (the
 * devices' side falling behind, which makes a scaling point's offered load lower than nominal).
 */
final class PacedFleet implements AutoCloseable {

    private final FrameProducer producer;
    private final String topic;
    private final SyntheticDevices devices;
    private final int count;
    private final double fps;
    private final long[] startTicks;
    private final AtomicLong lateTicks = new AtomicLong();
    private volatile boolean running = true;
    private final Thread thread;

    PacedFleet(String bootstrapServers, String topic, SyntheticDevices devices, int count, double fps,
               int staggerTicks) {
        this.producer = new FrameProducer(bootstrapServers, 5);
        this.topic = topic;
        this.devices = devices;
        this.count = count;
        this.fps = fps;
        this.startTicks = new long[count];
        for (int d = 0; d < count; d++) {
            startTicks[d] = (long) d * staggerTicks / count;
        }
        this.thread = new Thread(this::pace, "paced-fleet");
        this.thread.setDaemon(true);
    }

    PacedFleet start() {
        thread.start();
        return this;
    }

    /** Frames the broker acknowledged: what the app could have read. */
    long framesSent() {
        return producer.acknowledged();
    }

    long lateTicks() {
        return lateTicks.get();
    }

    private void pace() {
        long periodNanos = Math.round(1e9 / fps);
        long next = System.nanoTime();
        long sequence = 0;
        String[] ids = new String[count];
        byte[][] keys = new byte[count][];
        for (int d = 0; d < count; d++) {
            ids[d] = devices.deviceId(d);
            keys[d] = devices.key(d);
        }
        while (running) {
            long captureMicros = System.currentTimeMillis() * 1000;
            for (int d = 0; d < count; d++) {
                if (sequence >= startTicks[d]) {
                    producer.send(topic, keys[d], devices.frame(ids[d], captureMicros, sequence - startTicks[d]));
                }
            }
            sequence++;
            next += periodNanos;
            if (System.nanoTime() > next + periodNanos) {
                lateTicks.incrementAndGet();
            }
            FrameProducer.awaitNanos(next);
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(10_000);
        producer.close();
    }
}
