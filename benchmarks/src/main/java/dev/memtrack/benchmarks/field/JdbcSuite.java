package dev.memtrack.benchmarks.field;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.memtrack.TrackMemory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * JDBC over sqlite-jdbc as a driver's own tests use it: a database file and a connection per
 * test opened in {@code @BeforeEach} and closed in {@code @AfterEach}, DDL, batched inserts in a
 * transaction, many small prepared queries (2,000 in the class), metadata. Every bind and step is
 * a JNI call into the bundled SQLite.
 */
public abstract class JdbcSuite {

    static final int ROWS = 500;
    static final int QUERIES_PER_TEST = 250;

    private Path dir;
    private Connection connection;

    @BeforeEach
    void open() throws IOException, SQLException {
        dir = Files.createTempDirectory("field-jdbc");
        connection = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("test.db"));
        try (Statement ddl = connection.createStatement()) {
            ddl.executeUpdate("create table person (id integer primary key, name text not null, age integer, score real)");
            ddl.executeUpdate("create index person_age on person(age)");
        }
    }

    @AfterEach
    void close() throws IOException, SQLException {
        connection.close();
        try (var files = Files.list(dir)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Files.delete(file);
            }
        }
        Files.delete(dir);
    }

    private void insertRows() throws SQLException {
        connection.setAutoCommit(false);
        try (PreparedStatement insert = connection.prepareStatement("insert into person (id, name, age, score) values (?, ?, ?, ?)")) {
            for (int i = 0; i < ROWS; i++) {
                insert.setInt(1, i);
                insert.setString(2, "person-" + i);
                insert.setInt(3, i % 90);
                insert.setDouble(4, i * 0.5);
                insert.addBatch();
            }
            insert.executeBatch();
        }
        connection.commit();
        connection.setAutoCommit(true);
    }

    private long queryById(int queries) throws SQLException {
        long sum = 0;
        try (PreparedStatement select = connection.prepareStatement("select name, age, score from person where id = ?")) {
            for (int q = 0; q < queries; q++) {
                select.setInt(1, (q * 7) % ROWS);
                try (ResultSet rs = select.executeQuery()) {
                    assertTrue(rs.next());
                    sum += rs.getString(1).length() + rs.getInt(2);
                }
            }
        }
        return sum;
    }

    @Test
    void batchInsertThenPointQueries() throws SQLException {
        insertRows();
        assertTrue(queryById(QUERIES_PER_TEST) > 0);
    }

    @Test
    void rangeQueries() throws SQLException {
        insertRows();
        try (PreparedStatement select = connection.prepareStatement("select count(*), avg(score) from person where age between ? and ?")) {
            for (int q = 0; q < QUERIES_PER_TEST; q++) {
                select.setInt(1, q % 80);
                select.setInt(2, q % 80 + 10);
                try (ResultSet rs = select.executeQuery()) {
                    assertTrue(rs.next());
                    assertTrue(rs.getInt(1) > 0);
                }
            }
        }
    }

    @Test
    void updatesInTransaction() throws SQLException {
        insertRows();
        connection.setAutoCommit(false);
        try (PreparedStatement update = connection.prepareStatement("update person set score = score + ? where id = ?")) {
            for (int q = 0; q < QUERIES_PER_TEST; q++) {
                update.setDouble(1, 1.5);
                update.setInt(2, q);
                assertEquals(1, update.executeUpdate());
            }
        }
        connection.commit();
        assertTrue(queryById(10) > 0);
    }

    @Test
    void stringLikeQueries() throws SQLException {
        insertRows();
        try (PreparedStatement select = connection.prepareStatement("select id from person where name like ? order by id")) {
            for (int q = 0; q < QUERIES_PER_TEST; q++) {
                select.setString(1, "person-" + (q % 50) + "%");
                try (ResultSet rs = select.executeQuery()) {
                    int n = 0;
                    while (rs.next()) {
                        n++;
                    }
                    assertTrue(n > 0);
                }
            }
        }
    }

    @Test
    void joinsAndAggregates() throws SQLException {
        insertRows();
        try (Statement ddl = connection.createStatement()) {
            ddl.executeUpdate("create table team (id integer primary key, person integer references person(id), label text)");
            ddl.executeUpdate("insert into team (id, person, label) select id, id, 'team-' || (id % 10) from person");
        }
        try (PreparedStatement select = connection.prepareStatement(
                "select t.label, count(*), max(p.score) from team t join person p on p.id = t.person where p.age > ? group by t.label")) {
            for (int q = 0; q < QUERIES_PER_TEST; q++) {
                select.setInt(1, q % 60);
                try (ResultSet rs = select.executeQuery()) {
                    assertTrue(rs.next());
                }
            }
        }
    }

    @Test
    void statementPerQuery() throws SQLException {
        insertRows();
        for (int q = 0; q < QUERIES_PER_TEST; q++) {
            try (Statement statement = connection.createStatement();
                 ResultSet rs = statement.executeQuery("select name from person where id = " + (q * 3) % ROWS)) {
                assertTrue(rs.next());
            }
        }
    }

    @Test
    void metadataAndSchema() throws SQLException {
        for (int q = 0; q < 50; q++) {
            try (ResultSet tables = connection.getMetaData().getTables(null, null, "%", null)) {
                assertTrue(tables.next());
            }
            try (ResultSet columns = connection.getMetaData().getColumns(null, null, "person", "%")) {
                assertTrue(columns.next());
            }
        }
    }

    @Test
    void pointQueriesAgain() throws SQLException {
        insertRows();
        assertTrue(queryById(QUERIES_PER_TEST * 2) > 0);
    }

    /** Measured: memtrack on every test of the class. */
    @TrackMemory
    public static final class Tracked extends JdbcSuite {
    }

    /** The same tests without memtrack. */
    public static final class Untracked extends JdbcSuite {
    }
}
