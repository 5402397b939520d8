package com.cloudextender.devcloud.features;

import java.util.Map;
import java.util.Objects;

/**
 * A feature enabled for a customer: the module its extenders run, and the module's configuration.
 *
 * @param customer the customer
 * @param moduleId the module id
 * @param config the configuration pushed with the module (values may be secrets: never log them)
 */
public record Feature(String customer, String moduleId, Map<String, String> config) {
    public Feature {
        Objects.requireNonNull(customer, "customer");
        Objects.requireNonNull(moduleId, "moduleId");
        config = Map.copyOf(config);
    }

    @Override
    public String toString() {
        return "Feature[" + customer + "/" + moduleId + ", config keys " + config.keySet() + "]";
    }
}
