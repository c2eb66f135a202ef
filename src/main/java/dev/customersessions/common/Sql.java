package dev.customersessions.common;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

import javax.sql.DataSource;

import jakarta.persistence.PersistenceException;

/**
 * One plain-SQL statement on a connection of the pool: the current transaction's when there is one (the pool enlists
 * it), else a statement of its own that commits at once. Rows are read by column name, in the reader the caller gives.
 */
public final class Sql {

    private Sql() {
    }

    /** Sets a statement's parameters. */
    @FunctionalInterface
    public interface Binder {
        void bind(PreparedStatement statement) throws SQLException;
    }

    /** Reads a statement's rows into a value. */
    @FunctionalInterface
    public interface RowsReader<T> {
        T read(ResultSet rows) throws SQLException;
    }

    /** Runs a statement that returns rows (a select, or a write with {@code returning}). */
    public static <T> T query(DataSource dataSource, String sql, Binder binder, RowsReader<T> reader) {
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            binder.bind(statement);
            try (ResultSet rows = statement.executeQuery()) {
                return reader.read(rows);
            }
        } catch (SQLException e) {
            throw new PersistenceException(e);
        }
    }

    /** Sets a statement's parameters for one item of a batch. */
    @FunctionalInterface
    public interface ItemBinder<T> {
        void bind(PreparedStatement statement, T item) throws SQLException;
    }

    /** Runs a write once for each item, in one round trip; the number of rows changed in all. */
    public static <T> int batch(DataSource dataSource, String sql, List<T> items, ItemBinder<T> binder) {
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            for (T item : items) {
                binder.bind(statement, item);
                statement.addBatch();
            }
            int changed = 0;
            for (int count : statement.executeBatch()) {
                changed += Math.max(count, 0);
            }
            return changed;
        } catch (SQLException e) {
            throw new PersistenceException(e);
        }
    }

    /** Runs a write; the number of rows it changed. */
    public static int update(DataSource dataSource, String sql, Binder binder) {
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            binder.bind(statement);
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw new PersistenceException(e);
        }
    }
}
