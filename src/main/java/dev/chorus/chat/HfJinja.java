package dev.chorus.chat;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.LegacyOverrides;
import com.hubspot.jinjava.el.JinjavaInterpreterResolver;
import jinjava.javax.el.CompositeELResolver;

/**
 * The one shared Jinjava engine configured like transformers' chat-template environment (thread-safe; every render
 * gets its own interpreter).
 */
final class HfJinja {
    private static final Jinjava ENGINE = create();

    private HfJinja() {
    }

    static Jinjava engine() {
        return ENGINE;
    }

    private static Jinjava create() {
        CompositeELResolver resolver = new CompositeELResolver();
        resolver.add(new PyMethods());
        resolver.add(JinjavaInterpreterResolver.DEFAULT_RESOLVER_READ_ONLY);
        JinjavaConfig config = JinjavaConfig.newBuilder()
                // Whitespace control is done by TemplateSource with Jinja2's exact rules; Jinjava's is off.
                .withTrimBlocks(false)
                .withLstripBlocks(false)
                // Iterating a dict yields its keys, as in Python.
                .withIterateOverMapKeys(true)
                // Jinja2 lets macros call themselves (Command R's json_to_python_type); Jinjava needs it enabled.
                .withEnableRecursiveMacroCalls(true)
                .withMaxMacroRecursionDepth(64)
                // Jinja2 never re-renders text that came out of a variable ("{{ user }}" in a message stays text).
                .withNestedInterpretationEnabled(false)
                .withElResolver(resolver)
                .withLegacyOverrides(LegacyOverrides.newBuilder()
                        // Python precedence: a + b|trim + c filters only b; x|length - 1 subtracts after the filter.
                        .withUseNaturalOperatorPrecedence(true)
                        .withKeepNullableLoopValues(true)
                        .withIterateOverMapKeys(true)
                        .build())
                .build();
        Jinjava jinjava = new Jinjava(config);
        jinjava.registerTag(new GenerationTag());
        jinjava.registerTag(new FilterTag());
        HfFilters.all().forEach(jinjava::registerFilter);
        HfGlobals.tests().forEach(jinjava::registerExpTest);
        HfGlobals.functions().forEach(jinjava::registerFunction);
        return jinjava;
    }
}
