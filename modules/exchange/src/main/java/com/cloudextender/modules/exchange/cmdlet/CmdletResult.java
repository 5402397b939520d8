package com.cloudextender.modules.exchange.cmdlet;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * What a cmdlet returned: its output objects and the warnings it wrote. Immutable.
 *
 * @param objects  the output objects, each a JSON object of the object's properties
 * @param warnings the warnings, in order
 */
public record CmdletResult(List<ObjectNode> objects, List<String> warnings) {
    public CmdletResult {
        objects = List.copyOf(objects);
        warnings = List.copyOf(warnings);
    }
}
