package dev.customersessions.common;

import java.util.logging.Filter;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import org.jboss.logmanager.ExtLogRecord;

import io.quarkus.logging.LoggingFilter;

/**
 * Keeps a database outage from flooding the log: the records, from any library (the connection pool, the transaction
 * manager, Hibernate, our background jobs), whose exception says the database is unavailable or a commit's outcome
 * unknown are written once per logger and kind of failure per quiet period ({@link FailureLog}), as one line with the
 * database's message instead of a stack trace; the others of the period are counted. Every other record passes as it is.
 * Installed on the console with {@code quarkus.log.console.filter}.
 */
@LoggingFilter(name = "database-outage")
public final class OutageLogFilter implements Filter {

    @Override
    public boolean isLoggable(LogRecord record) {
        if (record.getLevel().intValue() < Level.WARNING.intValue()) {
            return true;
        }
        if (record.getThrown() == null) {
            // The pool warns of each broken connection, with the driver's message only: once per message and period.
            return !String.valueOf(record.getLoggerName()).startsWith("io.agroal") || FailureLog.admit(record.getLoggerName() + " " + record.getMessage()) != null;
        }
        DatabaseFailures.Classified failure = DatabaseFailures.classify(record.getThrown());
        if (failure == null || (failure.kind() != DatabaseFailures.Kind.UNAVAILABLE && failure.kind() != DatabaseFailures.Kind.OUTCOME_UNKNOWN)) {
            return true;
        }
        String suffix = FailureLog.admit(record.getLoggerName() + " " + failure.kind() + " " + failure.state());
        if (suffix == null) {
            return false;
        }
        String message = record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage();
        String line = message + " [" + failure.kind() + " " + failure.state() + ": " + FailureLog.rootMessage(record.getThrown()) + "]" + suffix;
        if (record instanceof ExtLogRecord ext) {
            ext.setMessage(line, ExtLogRecord.FormatStyle.NO_FORMAT);
        } else {
            record.setMessage(line);
        }
        record.setParameters(null);
        record.setThrown(null);
        return true;
    }
}
