package io.skelstream.it.bench;

import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code devices} devices sending in real time at {@code fps}: every 1/fps s one frame per device, its capture time
 * the wall clock at that tick (so capture-to-event latency is measured against the real send time). Runs on its own
 * thread until stopped; counts the frames the broker acknowledged and the ticks it could not send on time (the
 * devices' side falling behind, which makes a scaling point's offered load lower than nominal).
 */
final class PacedFleet implements AutoCloseable {

    private final FrameProducer producer;
    private final String topic;
    private final SyntheticDevices devices;
    private final int count;
    private final double fps;
    private final AtomicLong lateTicks = new AtomicLong();
    private volatile boolean running = true;
    private final Thread thread;

    PacedFleet(String bootstrapServers, String topic, SyntheticDevices devices, int count, double fps) {
        this.producer = new FrameProducer(bootstrapServers, 5);
        this.topic = topic;
        this.devices = devices;
        this.count = count;
        this.fps = fps;
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
                producer.send(topic, keys[d], devices.frame(ids[d], captureMicros, sequence));
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
