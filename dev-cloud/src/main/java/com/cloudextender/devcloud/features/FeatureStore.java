package com.cloudextender.devcloud.features;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import com.cloudextender.devcloud.auth.SecretFiles;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The features enabled per customer, persisted in {@code features.json} in the data directory. The file is
 * owner-only because module configurations may hold credentials (a directory's bind password, say).
 * Thread-safe.
 */
public final class FeatureStore {
    /** The file's name in the data directory. */
    public static final String FILE = "features.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    /** customer → module id → feature, in enabling order. */
    private final Map<String, Map<String, Feature>> features = new LinkedHashMap<>();

    private FeatureStore(Path file) {
        this.file = file;
    }

    /** Opens the store in {@code file}, which need not exist yet. */
    public static FeatureStore open(Path file) throws IOException {
        FeatureStore store = new FeatureStore(file);
        if (!Files.exists(file)) {
            return store;
        }
        try {
            JsonNode customers = JSON.readTree(file.toFile()).path("customers");
            for (Iterator<Map.Entry<String, JsonNode>> c = customers.fields(); c.hasNext();) {
                Map.Entry<String, JsonNode> customer = c.next();
                for (Iterator<Map.Entry<String, JsonNode>> m = customer.getValue().fields(); m.hasNext();) {
                    Map.Entry<String, JsonNode> module = m.next();
                    Map<String, String> config = new TreeMap<>();
                    module.getValue().path("config").fields().forEachRemaining(e -> config.put(e.getKey(),
                            e.getValue().asText()));
                    store.put(new Feature(customer.getKey(), module.getKey(), config));
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new IOException("the feature file " + file + " cannot be read (" + e.getMessage()
                    + "); fix it or move it away and enable the features again", e);
        }
        return store;
    }

    /**
     * Enables (or reconfigures) {@code feature}.
     *
     * @return the feature it replaces, if it was already enabled
     */
    public synchronized Optional<Feature> enable(Feature feature) throws IOException {
        Feature previous = put(feature);
        save();
        return Optional.ofNullable(previous);
    }

    /** Disables the customer's feature; returns it, or empty if it was not enabled. */
    public synchronized Optional<Feature> disable(String customer, String moduleId) throws IOException {
        Map<String, Feature> ofCustomer = features.get(customer);
        Feature removed = ofCustomer == null ? null : ofCustomer.remove(moduleId);
        if (removed != null) {
            if (ofCustomer.isEmpty()) {
                features.remove(customer);
            }
            save();
        }
        return Optional.ofNullable(removed);
    }

    /** The customer's enabled features, in enabling order. */
    public synchronized List<Feature> of(String customer) {
        Map<String, Feature> ofCustomer = features.get(customer);
        return ofCustomer == null ? List.of() : new ArrayList<>(ofCustomer.values());
    }

    /** Every customer's feature for {@code moduleId}. */
    public synchronized List<Feature> allOf(String moduleId) {
        List<Feature> out = new ArrayList<>();
        features.values().forEach(m -> {
            Feature f = m.get(moduleId);
            if (f != null) {
                out.add(f);
            }
        });
        return out;
    }

    /** The customer's feature for {@code moduleId}, if enabled. */
    public synchronized Optional<Feature> find(String customer, String moduleId) {
        Map<String, Feature> ofCustomer = features.get(customer);
        return Optional.ofNullable(ofCustomer == null ? null : ofCustomer.get(moduleId));
    }

    private Feature put(Feature feature) {
        return features.computeIfAbsent(feature.customer(), k -> new LinkedHashMap<>()).put(feature.moduleId(), feature);
    }

    private void save() throws IOException {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode customers = root.putObject("customers");
        features.forEach((customer, modules) -> {
            ObjectNode c = customers.putObject(customer);
            modules.forEach((id, f) -> {
                ObjectNode config = c.putObject(id).putObject("config");
                new TreeMap<>(f.config()).forEach(config::put);
            });
        });
        SecretFiles.write(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
    }
}
