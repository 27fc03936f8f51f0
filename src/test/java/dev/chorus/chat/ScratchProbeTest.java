package dev.chorus.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.util.*;

class ScratchProbeTest {
    @Test
    void probe() throws Exception {
        ObjectMapper om = new ObjectMapper();
        JsonNode root = om.readTree(new File("/tmp/jx/snips.json"));
        Map<String, Object> ctx = om.convertValue(root.get("ctx"), LinkedHashMap.class);
        int bad = 0;
        for (JsonNode c : root.get("cases")) {
            String t = c.get("t").asText();
            String got;
            try {
                got = ChatTemplate.compile(t).render(List.of(), false, null, null, ctx);
            } catch (Exception e) {
                got = "EXC " + e;
            }
            String want = c.has("ok") ? c.get("ok").asText() : "ERR " + c.get("err").asText();
            if (t.contains("max")) { var r = com.hubspot.jinjava.interpret.JinjavaInterpreter.class; }
            if (!got.equals(want)) {
                bad++;
                System.out.println("TEMPLATE: " + t.replace("\n", "\\n") + "\n   want: " + want.replace("\n", "\\n") + "\n   got:  " + got.replace("\n", "\\n"));
            }
        }
        System.out.println("BAD " + bad);
    }
}
