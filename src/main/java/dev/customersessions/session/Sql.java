package dev.customersessions.session;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import jakarta.persistence.PersistenceException;

import io.agroal.api.AgroalDataSource;

/**
 * One SQL statement on the data source: on the current transaction's connection when there is one (the data source
 * hands it out), else outside any transaction (one statement, one snapshot).
 */
final class Sql {

    private Sql() {
    }

    @FunctionalInterface
    interface Binder {
        void bind(PreparedStatement statement) throws SQLException;
    }

    @FunctionalInterface
    interface RowsReader<T> {
        T read(ResultSet rows) throws SQLException;
    }

    static <T> T query(AgroalDataSource dataSource, String sql, Binder binder, RowsReader<T> reader) {
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            binder.bind(statement);
            try (ResultSet rows = statement.executeQuery()) {
                return reader.read(rows);
            }
        } catch (SQLException e) {
            throw new PersistenceException(e);
        }
    }
}
