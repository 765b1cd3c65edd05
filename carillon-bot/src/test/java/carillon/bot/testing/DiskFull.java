package carillon.bot.testing;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Locale;
import java.util.Set;
import javax.sql.DataSource;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * A full disk under a real SQLite file, injected at the JDBC level: while {@link #fill() full}, every
 * statement that writes fails as SQLite fails when its WAL cannot grow ({@code SQLITE_FULL}, "database or
 * disk is full"); reads go on, as they do on a full disk. Statements run on the real file otherwise.
 */
public final class DiskFull {
  private static final Set<String> EXECUTE = Set.of("execute", "executeUpdate", "executeLargeUpdate", "executeQuery",
      "executeBatch", "executeLargeBatch");
  private volatile boolean full;
  /** How many writes were refused. */
  volatile int refused;

  public void fill() {
    full = true;
  }

  public void free() {
    full = false;
  }

  /** SQLite's data source in, one whose connections refuse writes while the disk is full out. */
  public DataSource around(DataSource sqlite) {
    return proxy(DataSource.class, sqlite, (method, args, result) ->
        method.getName().equals("getConnection") ? proxy(Connection.class, (Connection) result, this::connection) : result);
  }

  private Object connection(Method method, Object[] args, Object result) {
    if (result instanceof Statement statement && args != null && args.length > 0 && args[0] instanceof String sql) {
      return proxy(method.getReturnType().asSubclass(Statement.class), statement, (m, a, r) -> r, sql);
    }
    if (result instanceof Statement statement) { // createStatement: the SQL comes with execute
      return proxy(method.getReturnType().asSubclass(Statement.class), statement, (m, a, r) -> r, null);
    }
    return result;
  }

  private interface After {
    Object apply(Method method, Object[] args, Object result) throws Exception;
  }

  private <T> T proxy(Class<T> type, T target, After after) {
    return proxy(type, target, after, null);
  }

  /** {@code sql}: the statement's SQL when it was prepared; a write among its executions fails while full. */
  private <T> T proxy(Class<T> type, T target, After after, String sql) {
    InvocationHandler handler = (self, method, args) -> {
      if (sql != null || target instanceof Statement) {
        String text = sql != null ? sql : args != null && args.length > 0 && args[0] instanceof String s ? s : "";
        if (full && EXECUTE.contains(method.getName()) && writes(text)) {
          refused++;
          throw new SQLiteException("[SQLITE_FULL] Insertion failed because database is full (database or disk is full)",
              SQLiteErrorCode.SQLITE_FULL);
        }
      }
      Object result;
      try {
        result = method.invoke(target, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
      return after.apply(method, args, result);
    };
    return type.cast(Proxy.newProxyInstance(DiskFull.class.getClassLoader(), new Class<?>[] {type}, handler));
  }

  private static boolean writes(String sql) {
    String verb = sql.strip().split("\\s+", 2)[0].toUpperCase(Locale.ROOT);
    return Set.of("INSERT", "UPDATE", "DELETE", "REPLACE", "CREATE", "DROP", "ALTER").contains(verb);
  }
}
