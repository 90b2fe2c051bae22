import java.io.IOException;
import java.lang.reflect.Field;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

/**
 * Starts DynamoDB Local with its usual command line, with two changes the jar has no option for.
 *
 * <p>Loopback only: DynamoDB Local builds its Jetty server with a port and no host, so it listens
 * on every interface. Its connector is set to 127.0.0.1 before the server starts, so no other
 * machine can reach the tables (they hold secrets within their replay windows). The field is read
 * by reflection; if a future jar renames it, startup fails loudly rather than binding everywhere.
 *
 * <p>Never outlives its parent: the twin keeps this process's stdin open as a pipe and never writes
 * to it. When the parent dies for any reason, SIGKILL included, the kernel closes the pipe and the
 * read below returns end-of-file; the parent's exit is also watched, should stdin be shared.
 * Either way the JVM halts at once.
 *
 * <p>Telemetry is never configured here, so none is sent whatever the arguments say.
 */
public final class LoopbackDynamoDbLocal {
  public static void main(String[] args) throws Exception {
    watchParent();
    DynamoDBProxyServer proxy = ServerRunner.createServerFromCommandLineArgs(args);
    Field field = DynamoDBProxyServer.class.getDeclaredField("server");
    field.setAccessible(true);
    Server server = (Server) field.get(proxy);
    for (Connector connector : server.getConnectors()) {
      ((ServerConnector) connector).setHost("127.0.0.1");
    }
    proxy.start();
    System.out.println("DynamoDB Local listening on 127.0.0.1");
  }

  private static void watchParent() {
    Thread stdin = new Thread(() -> {
      try {
        byte[] buffer = new byte[64];
        while (System.in.read(buffer) != -1) {
          // Nothing is ever sent; only end-of-file matters.
        }
      } catch (IOException e) {
        // A broken pipe means the same as end-of-file.
      }
      Runtime.getRuntime().halt(0);
    }, "parent-stdin-watchdog");
    stdin.setDaemon(true);
    stdin.start();
    ProcessHandle.current().parent().ifPresent(
        parent -> parent.onExit().thenRun(() -> Runtime.getRuntime().halt(0)));
  }
}
