package dev.customersessions.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import jakarta.interceptor.InvocationContext;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.customersessions.auth.AuthenticationFailedException;

/** Unexpected failures are logged as errors with their cause; answers to the client are not; both are rethrown. */
class LoggedFailuresInterceptorTest {

    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Logger logger = Logger.getLogger("dev.customersessions.graphql");
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            records.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void capture() {
        logger.addHandler(capture);
    }

    @AfterEach
    void release() {
        logger.removeHandler(capture);
    }

    @Test
    void unexpectedFailuresAreLoggedAsErrorsWithTheirStackTrace() {
        IllegalStateException failure = new IllegalStateException("database gone");
        assertSame(failure, assertThrows(IllegalStateException.class, () -> intercept(failure)));
        List<LogRecord> errors = records.stream().filter(r -> r.getLevel().intValue() >= Level.SEVERE.intValue()).toList();
        assertEquals(1, errors.size());
        assertSame(failure, errors.get(0).getThrown());
    }

    @Test
    void answersToTheClientAreNotLoggedAsErrors() {
        AuthenticationFailedException refusal = new AuthenticationFailedException("The API key is unknown or revoked");
        assertSame(refusal, assertThrows(AuthenticationFailedException.class, () -> intercept(refusal)));
        InvalidArgumentException bad = new InvalidArgumentException("first must be at least 1, got 0");
        assertSame(bad, assertThrows(InvalidArgumentException.class, () -> intercept(bad)));
        assertEquals(0, records.stream().filter(r -> r.getLevel().intValue() >= Level.WARNING.intValue()).count());
    }

    private static void intercept(RuntimeException failure) throws Exception {
        new LoggedFailuresInterceptor().logFailures(new FailingInvocation(failure));
    }

    /** An invocation of {@link Object#toString()} that fails with the given exception. */
    private record FailingInvocation(RuntimeException failure) implements InvocationContext {
        @Override
        public Object proceed() {
            throw failure;
        }

        @Override
        public Method getMethod() {
            try {
                return Object.class.getMethod("toString");
            } catch (NoSuchMethodException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public Object getTarget() {
            return this;
        }

        @Override
        public Object getTimer() {
            return null;
        }

        @Override
        public Constructor<?> getConstructor() {
            return null;
        }

        @Override
        public Object[] getParameters() {
            return new Object[0];
        }

        @Override
        public void setParameters(Object[] params) {
        }

        @Override
        public Map<String, Object> getContextData() {
            return Map.of();
        }
    }
}
