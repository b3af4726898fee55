package io.livcloud.plugin.strongswan.vici;

import static java.util.Objects.requireNonNull;

import io.livcloud.spi.host.HostChannel;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * One connection to charon's VICI socket: commands, streamed commands and event subscriptions, over a byte stream that
 * the gateway's host access opened to the socket on the gateway ({@link ViciEndpoint}).
 *
 * <p>VICI has no request ids, so one exchange at a time runs per connection (callers are serialised here). A reader
 * thread takes every packet off the socket: events go to their listeners, everything else answers the exchange in
 * flight. An exchange that gets no answer in time closes the connection, because a late answer would otherwise be
 * taken for the next one; a connection that breaks (charon stopped, a malformed packet) fails the exchange in flight
 * and every later one with the cause. Nothing here can wait forever.
 *
 * <p>Event listeners run on the reader thread, in the order charon sent the events, and must return quickly.
 */
public final class ViciConnection implements AutoCloseable {

    /** How long an ordinary command may take; {@code initiate} and {@code terminate} pass their own. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private static final System.Logger LOG = System.getLogger(ViciConnection.class.getName());

    private final ViciEndpoint endpoint;
    private final HostChannel channel;
    private final InputStream in;
    private final OutputStream out;
    private final Thread reader;
    private final ReentrantLock exchange = new ReentrantLock();
    private final BlockingQueue<Object> replies = new LinkedBlockingQueue<>();
    private final Map<String, List<Consumer<ViciMessage>>> listeners = new ConcurrentHashMap<>();
    private volatile ViciException broken;

    private ViciConnection(ViciEndpoint endpoint, HostChannel channel) {
        this.endpoint = endpoint;
        this.channel = channel;
        this.in = channel.input();
        this.out = channel.output();
        this.reader = new Thread(this::readPackets, "vici-reader " + endpoint);
        this.reader.setDaemon(true);
        this.reader.start();
    }

    /**
     * Connects through the endpoint's host access.
     *
     * @throws ViciException {@link ViciException.Reason#CANNOT_CONNECT} when the host cannot be reached or nothing
     *     listens there, with the host access's reason
     */
    public static ViciConnection open(ViciEndpoint endpoint) {
        requireNonNull(endpoint, "endpoint is null");
        HostChannel channel = null;
        try {
            channel = endpoint.open();
            return new ViciConnection(endpoint, channel);
        } catch (RuntimeException e) {
            // The host access's own failures (ExtensionException: unreachable, refused) and a stream that will not open.
            closeQuietly(channel);
            String cause = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new ViciException(ViciException.Reason.CANNOT_CONNECT, "cannot connect to charon's VICI socket "
                    + endpoint + ": " + cause + " (is charon running, with the vici plugin loaded?)", e);
        }
    }

    /** Where this connection goes. */
    public ViciEndpoint endpoint() {
        return endpoint;
    }

    /** Whether the connection still works. */
    public boolean isOpen() {
        return broken == null;
    }

    /** Runs a command with {@link #DEFAULT_TIMEOUT}. */
    public ViciMessage request(String command, ViciMessage arguments) {
        return request(command, arguments, DEFAULT_TIMEOUT);
    }

    /**
     * Runs a command and returns charon's response as it is (a {@code success = no} answer is returned, not thrown:
     * the typed {@link ViciClient} decides).
     *
     * @throws ViciException {@link ViciException.Reason#UNKNOWN_COMMAND}, {@link ViciException.Reason#TIMEOUT},
     *     {@link ViciException.Reason#CLOSED} or {@link ViciException.Reason#PROTOCOL}
     */
    public ViciMessage request(String command, ViciMessage arguments, Duration timeout) {
        ViciPacket answer = exchange(ViciPacket.request(command, arguments), "command '" + command + "'", timeout);
        return switch (answer.type()) {
            case CMD_RESPONSE -> answer.message();
            case CMD_UNKNOWN -> throw new ViciException(ViciException.Reason.UNKNOWN_COMMAND, "charon at " + endpoint
                    + " does not know the command '" + command + "' (an older strongSwan, or its plugin is not loaded)");
            default -> throw unexpected(answer, "command '" + command + "'");
        };
    }

    /**
     * Runs a command that streams its results as events (such as {@code list-sas} with {@code list-sa}): registers
     * for the event, runs the command, hands each event to {@code onEvent} (all of them arrive before the response)
     * and unregisters.
     */
    public ViciMessage streamedRequest(String command, ViciMessage arguments, String event,
            Consumer<ViciMessage> onEvent, Duration timeout) {
        exchange.lock();
        try {
            try (Subscription subscription = subscribe(event, onEvent)) {
                return request(command, arguments, timeout);
            }
        } finally {
            exchange.unlock();
        }
    }

    /**
     * Registers a listener for an event; closing the returned subscription unregisters it.
     *
     * @throws ViciException {@link ViciException.Reason#UNKNOWN_EVENT} if charon has no such event
     */
    public Subscription subscribe(String event, Consumer<ViciMessage> listener) {
        requireNonNull(listener, "listener is null");
        exchange.lock();
        try {
            List<Consumer<ViciMessage>> forEvent = listeners.computeIfAbsent(event, name -> new CopyOnWriteArrayList<>());
            boolean first = forEvent.isEmpty();
            forEvent.add(listener);
            if (first) {
                try {
                    confirm(new ViciPacket(ViciPacket.Type.EVENT_REGISTER, event, ViciMessage.EMPTY), event);
                } catch (RuntimeException e) {
                    forEvent.remove(listener);
                    throw e;
                }
            }
            return new Subscription(event, listener);
        } finally {
            exchange.unlock();
        }
    }

    private void unsubscribe(String event, Consumer<ViciMessage> listener) {
        exchange.lock();
        try {
            List<Consumer<ViciMessage>> forEvent = listeners.getOrDefault(event, List.of());
            if (forEvent.remove(listener) && forEvent.isEmpty() && isOpen()) {
                confirm(new ViciPacket(ViciPacket.Type.EVENT_UNREGISTER, event, ViciMessage.EMPTY), event);
            }
        } finally {
            exchange.unlock();
        }
    }

    private void confirm(ViciPacket registration, String event) {
        ViciPacket answer = exchange(registration, "registration for the event '" + event + "'", DEFAULT_TIMEOUT);
        switch (answer.type()) {
            case EVENT_CONFIRM -> {
            }
            case EVENT_UNKNOWN -> throw new ViciException(ViciException.Reason.UNKNOWN_EVENT, "charon at " + endpoint
                    + " has no event '" + event + "'");
            default -> throw unexpected(answer, "registration for the event '" + event + "'");
        }
    }

    private ViciPacket exchange(ViciPacket packet, String what, Duration timeout) {
        exchange.lock();
        try {
            failIfBroken(what);
            replies.clear();
            try {
                ViciFraming.write(out, packet.encode());
            } catch (IOException e) {
                throw breakWith(new ViciException(ViciException.Reason.CLOSED, "cannot send " + what + " to charon at "
                        + endpoint + ": " + e.getMessage(), e));
            }
            Object answer;
            try {
                answer = replies.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw breakWith(new ViciException(ViciException.Reason.CLOSED, "interrupted while waiting for "
                        + what + " at " + endpoint + "; the connection was closed", e));
            }
            if (answer == null) {
                throw breakWith(new ViciException(ViciException.Reason.TIMEOUT, "charon at " + endpoint
                        + " did not answer " + what + " within " + timeout.toMillis() + " ms; the connection was"
                        + " closed"));
            }
            if (answer instanceof ViciException failure) {
                throw new ViciException(failure.reason(), failure.getMessage() + " (while waiting for " + what + ")",
                        failure);
            }
            return (ViciPacket) answer;
        } finally {
            exchange.unlock();
        }
    }

    private void failIfBroken(String what) {
        ViciException failure = broken;
        if (failure != null) {
            throw new ViciException(failure.reason(), "cannot send " + what + ": " + failure.getMessage(), failure);
        }
    }

    private ViciException unexpected(ViciPacket answer, String what) {
        return breakWith(new ViciException(ViciException.Reason.PROTOCOL, "charon at " + endpoint + " answered " + what
                + " with a " + answer.type() + " packet; the connection was closed"));
    }

    private void readPackets() {
        try {
            while (true) {
                Optional<byte[]> segment = ViciFraming.read(in);
                if (segment.isEmpty()) {
                    breakWith(new ViciException(ViciException.Reason.CLOSED, "charon at " + endpoint
                            + " closed the connection (stopped or restarted)"));
                    return;
                }
                ViciPacket packet = ViciPacket.decode(segment.get());
                if (packet.type() == ViciPacket.Type.EVENT) {
                    deliver(packet);
                } else if (packet.type() == ViciPacket.Type.CMD_REQUEST
                        || packet.type() == ViciPacket.Type.EVENT_REGISTER
                        || packet.type() == ViciPacket.Type.EVENT_UNREGISTER) {
                    throw new ViciException(ViciException.Reason.PROTOCOL, "charon at " + endpoint + " sent a "
                            + packet.type() + " packet, which only clients send");
                } else {
                    replies.add(packet);
                }
            }
        } catch (ViciException e) {
            breakWith(new ViciException(e.reason(), e.getMessage() + " (from " + endpoint + ")", e));
        } catch (IOException e) {
            breakWith(new ViciException(ViciException.Reason.CLOSED, "the connection to charon at " + endpoint
                    + " broke: " + e.getMessage(), e));
        }
    }

    private void deliver(ViciPacket event) {
        for (Consumer<ViciMessage> listener : listeners.getOrDefault(event.name(), List.of())) {
            try {
                listener.accept(event.message());
            } catch (RuntimeException e) {
                // A listener's bug must not stop the reader, or every later exchange would time out.
                LOG.log(System.Logger.Level.WARNING, "a listener of the VICI event '" + event.name() + "' failed", e);
            }
        }
    }

    /** Marks the connection broken (first cause wins), wakes the exchange in flight and closes the socket. */
    private ViciException breakWith(ViciException failure) {
        synchronized (this) {
            if (broken == null) {
                broken = failure;
            }
        }
        replies.add(broken);
        closeQuietly(channel);
        return failure;
    }

    /** Closes the connection; an exchange in flight fails with {@link ViciException.Reason#CLOSED}. */
    @Override
    public void close() {
        breakWith(new ViciException(ViciException.Reason.CLOSED, "the connection to charon at " + endpoint
                + " was closed by this process"));
        if (Thread.currentThread() != reader) {
            try {
                reader.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void closeQuietly(HostChannel channel) {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (RuntimeException e) {
            // Closing a broken stream can fail; it is gone either way.
        }
    }

    /** A registered event listener; closing it unregisters. */
    public final class Subscription implements AutoCloseable {
        private final String event;
        private final Consumer<ViciMessage> listener;
        private boolean closed;

        private Subscription(String event, Consumer<ViciMessage> listener) {
            this.event = event;
            this.listener = listener;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                unsubscribe(event, listener);
            }
        }
    }
}
