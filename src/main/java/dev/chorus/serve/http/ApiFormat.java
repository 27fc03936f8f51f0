package dev.chorus.serve.http;

/** Which OpenAI endpoint a completion answers: chat (messages, deltas) or legacy text completions. */
enum ApiFormat {
    CHAT("chat.completion", "chat.completion.chunk", "chatcmpl-"),
    TEXT("text_completion", "text_completion", "cmpl-");

    final String object;
    final String chunkObject;
    final String idPrefix;

    ApiFormat(String object, String chunkObject, String idPrefix) {
        this.object = object;
        this.chunkObject = chunkObject;
        this.idPrefix = idPrefix;
    }
}
