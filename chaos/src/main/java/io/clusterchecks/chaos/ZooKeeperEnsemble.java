package io.clusterchecks.chaos;

import java.io.IOException;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingCluster;

/** A real ZooKeeper ensemble of three servers inside the chaos process; one can be stopped and restarted. */
final class ZooKeeperEnsemble implements AutoCloseable {
  private final TestingCluster cluster;
  private final List<InstanceSpec> specs;

  ZooKeeperEnsemble() throws Exception {
    // Ports picked together, so no two are the same: curator-test picks each one alone, and a
    // client port equal to another server's election port fails the ensemble's start.
    int[] ports = FreePorts.pick(9);
    specs = IntStream.rangeClosed(1, 3)
        .mapToObj(i -> new InstanceSpec(null, ports[3 * i - 3], ports[3 * i - 2], ports[3 * i - 1], true, i, 500, -1))
        .toList();
    cluster = new TestingCluster(specs);
    cluster.start();
  }

  int size() {
    return specs.size();
  }

  int clientPort(int server) {
    return specs.get(server).getPort();
  }

  void kill(int server) throws Exception {
    cluster.killServer(specs.get(server));
  }

  void restart(int server) throws Exception {
    cluster.restartServer(specs.get(server));
  }

  @Override
  public void close() throws IOException {
    cluster.close();
  }
}
