// Readiness probe used by scripts/neo4j_server.sh.
//
// Run with Java's single-file source launcher against the Neo4j jars (which
// include the Neo4j Java driver):
//
//   java -cp '<lib>/*' BoltCheck.java <uri> <user> <password> <timeoutSeconds> [serverPid]
//
// Retries a real Cypher query over Bolt until it succeeds, the timeout passes,
// authentication is rejected, or the server process (if a pid is given) dies.
// Exit codes: 0 ready, 1 timed out / server died, 2 authentication failed.

import java.util.concurrent.TimeUnit;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Config;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;
import org.neo4j.driver.Logging;
import org.neo4j.driver.Session;
import org.neo4j.driver.exceptions.SecurityException;

public class BoltCheck {
    public static void main(String[] args) throws Exception {
        if (args.length < 4) {
            System.err.println("usage: BoltCheck <uri> <user> <password> <timeoutSeconds> [serverPid]");
            System.exit(64);
        }
        String uri = args[0];
        String user = args[1];
        String password = args[2];
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Long.parseLong(args[3]));
        Long serverPid = args.length > 4 ? Long.valueOf(args[4]) : null;

        Config config = Config.builder()
                .withoutEncryption()
                .withConnectionTimeout(5, TimeUnit.SECONDS)
                .withLogging(Logging.none())
                .build();

        Exception last = null;
        while (System.nanoTime() < deadline) {
            if (serverPid != null && !ProcessHandle.of(serverPid).map(ProcessHandle::isAlive).orElse(false)) {
                System.err.println("BoltCheck: server process " + serverPid + " is not running");
                System.exit(1);
            }
            try (Driver driver = GraphDatabase.driver(uri, AuthTokens.basic(user, password), config);
                    Session session = driver.session()) {
                long ok = session.run("RETURN 1 AS ok").single().get("ok").asLong();
                if (ok == 1) {
                    System.out.println("ok");
                    return;
                }
            } catch (SecurityException e) { // includes AuthenticationException
                System.err.println("BoltCheck: authentication failed: " + e.getMessage());
                System.exit(2);
            } catch (Exception e) {
                last = e;
            }
            Thread.sleep(1000);
        }
        System.err.println("BoltCheck: timed out waiting for " + uri + (last != null ? ": " + last : ""));
        System.exit(1);
    }
}
