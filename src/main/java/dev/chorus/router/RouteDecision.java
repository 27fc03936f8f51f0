package dev.chorus.router;

import java.util.Map;

/**
 * The router's answer. {@code category} is the classifier's best label and {@code confidence} its probability;
 * {@code expert} is where the request goes. {@code fallbackTaken} is true when the confidence was below the threshold
 * (or the category has no mapped expert) and the fallback expert was chosen; {@code sticky} is true when a running
 * conversation was kept on its previous expert although the new category would have moved it.
 */
public record RouteDecision(String category, double confidence, String expert, boolean fallbackTaken, boolean sticky,
                            String conversationKey, Map<String, Double> probabilities) {
}
