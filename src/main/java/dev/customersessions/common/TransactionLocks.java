package dev.customersessions.common;

import jakarta.persistence.EntityManager;

/** Locks on names rather than rows, held until the current transaction ends (PostgreSQL advisory locks). */
public final class TransactionLocks {

    private TransactionLocks() {
    }

    /**
     * Waits for, then holds, the lock on {@code key} until the transaction ends. Two different keys may share a hash;
     * they then merely wait for each other.
     */
    public static void lock(EntityManager entityManager, String key) {
        entityManager.createNativeQuery("select pg_advisory_xact_lock(hashtextextended(:key, 0))")
                .setParameter("key", key).getSingleResult();
    }
}
