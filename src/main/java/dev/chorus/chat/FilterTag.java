package dev.chorus.chat;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.tag.Tag;
import com.hubspot.jinjava.tree.Node;
import com.hubspot.jinjava.tree.TagNode;

/**
 * Jinja2's {@code {% filter name(args) %}...{% endfilter %}} (Jinjava has no such tag): renders the body, then
 * applies the filter chain to it, e.g. {@code {% filter trim %}} in FireFunction's template.
 */
final class FilterTag implements Tag {
    private static final String BODY = "chorus_filter_body";

    @Override
    public String getName() {
        return "filter";
    }

    @Override
    public String getEndTagName() {
        return "endfilter";
    }

    @Override
    public String interpret(TagNode tagNode, JinjavaInterpreter interpreter) {
        StringBuilder body = new StringBuilder();
        for (Node child : tagNode.getChildren()) {
            body.append(child.render(interpreter).getValue());
        }
        String filters = tagNode.getHelpers().strip();
        if (filters.isEmpty()) {
            throw new ChatTemplateException("{% filter %} needs a filter name");
        }
        interpreter.enterScope();
        try {
            interpreter.getContext().put(BODY, body.toString());
            Object result = interpreter.resolveELExpression(BODY + "|" + filters, tagNode.getLineNumber());
            return result == null ? "" : PyValues.str(result);
        } finally {
            interpreter.leaveScope();
        }
    }
}
