package com.cloudextender.devcloud.routing;

/**
 * Where a command goes: one extender, or any healthy extender of a customer. Exactly one is set.
 *
 * @param extenderId the extender, or null
 * @param customer the customer, or null
 */
public record CommandTarget(String extenderId, String customer) {
    public CommandTarget {
        if ((extenderId == null) == (customer == null)) {
            throw new IllegalArgumentException("a command goes to either an extender or a customer");
        }
    }

    public static CommandTarget extender(String extenderId) {
        return new CommandTarget(extenderId, null);
    }

    public static CommandTarget customer(String customer) {
        return new CommandTarget(null, customer);
    }

    public boolean isCustomer() {
        return customer != null;
    }

    @Override
    public String toString() {
        return isCustomer() ? "customer " + customer : "extender " + extenderId;
    }
}
