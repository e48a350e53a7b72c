package org.apache.iceberg.rest;

import java.io.File;
import java.io.IOException;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.CatalogUtil;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.apache.iceberg.relocated.com.google.common.collect.Maps;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.gzip.GzipHandler;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.servlet.ServletHolder;

/**
 * The Apache Iceberg REST catalog test fixture (RESTCatalogServer of iceberg-open-api's
 * test-fixtures), served the same way but bound to 127.0.0.1 on a free port: the upstream main
 * binds every interface on a fixed port (CATALOG_REST_PORT, default 8181).
 *
 * <p>Configured like upstream through CATALOG_* environment variables (CATALOG_WAREHOUSE=dir →
 * warehouse=dir, CATALOG_URI=jdbc:… → uri=…). Defaults: a JdbcCatalog over a SQLite file beside the
 * warehouse. Prints {"url": "http://127.0.0.1:PORT"} on stdout once serving, and exits when its
 * stdin closes (the test process that started it is gone).
 */
public class LocalRESTCatalogServer {
  public static void main(String[] args) throws Exception {
    Map<String, String> props = Maps.newHashMap(RCKUtils.environmentCatalogConfig());
    String warehouse = props.get(CatalogProperties.WAREHOUSE_LOCATION);
    if (warehouse == null) {
      throw new IllegalArgumentException("set CATALOG_WAREHOUSE to the warehouse directory");
    }
    new File(warehouse).mkdirs();
    props.putIfAbsent(CatalogProperties.CATALOG_IMPL, JdbcCatalog.class.getName());
    props.putIfAbsent(
        CatalogProperties.URI,
        "jdbc:sqlite:" + new File(warehouse).getAbsoluteFile().getParent() + "/rest-catalog.db");
    props.putIfAbsent("jdbc.schema-version", "V1");
    int port = Integer.parseInt(props.getOrDefault(RESTCatalogServer.REST_PORT, "0"));
    String host = System.getenv().getOrDefault("REST_CATALOG_HOST", "127.0.0.1");

    Catalog catalog = CatalogUtil.buildIcebergCatalog("rest_backend", props, new Configuration());
    RESTCatalogAdapter adapter =
        new RESTServerCatalogAdapter(new RESTCatalogServer.CatalogContext(catalog, props));

    ServletContextHandler context = new ServletContextHandler(ServletContextHandler.NO_SESSIONS);
    context.addServlet(new ServletHolder(new RESTCatalogServlet(adapter)), "/*");
    context.insertHandler(new GzipHandler());

    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost(host);
    connector.setPort(port);
    server.addConnector(connector);
    server.setHandler(context);
    server.start();

    Thread watchdog =
        new Thread(
            () -> {
              try {
                while (System.in.read() != -1) {
                  // drain until the parent closes our stdin
                }
              } catch (IOException e) {
                // parent gone
              }
              System.exit(0);
            },
            "stdin-watchdog");
    watchdog.setDaemon(true);
    if (!"false".equals(System.getenv("REST_CATALOG_STDIN_WATCH"))) {
      watchdog.start();
    }

    System.out.println(
        "{\"url\":\"http://" + host + ":" + connector.getLocalPort() + "\",\"warehouse\":\""
            + warehouse.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}");
    System.out.flush();
    server.join();
  }
}
