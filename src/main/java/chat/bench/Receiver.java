package chat.bench;

/**
 * One receiving connection: checks the stream it listens to and tells its sender of each delivery.
 * A delivery is counted when the forwarded message itself arrives here, never from a CHAT_ACK (our
 * chat messages carry no seq, so none is asked for; the classic server never sends one).
 */
final class Receiver implements BenchConnection.Deliveries {
  private final Meter meter;
  private final Sender sender;
  private final StreamCheck check = new StreamCheck();

  Receiver(BenchConnection connection, Sender sender, Meter meter) {
    this.meter = meter;
    this.sender = sender;
    connection.deliveries(sender.run(), this);
  }

  @Override
  public void delivered(int stream, long seq, long sentNanos) {
    long now = System.nanoTime();
    if (stream != sender.stream()) {
      meter.error("stream " + stream + " delivered to a receiver of stream " + sender.stream());
      return;
    }
    switch (check.accept(seq)) {
      case DUPLICATE -> meter.duplicated();
      case OUT_OF_ORDER -> {
        meter.delivered(sentNanos, now, true);
        sender.delivered();
      }
      case IN_ORDER -> {
        meter.delivered(sentNanos, now, false);
        sender.delivered();
      }
    }
  }
}
