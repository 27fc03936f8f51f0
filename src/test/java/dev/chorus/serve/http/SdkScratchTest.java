package dev.chorus.serve.http;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.completions.Completion;
import com.openai.models.completions.CompletionCreateParams;
import com.openai.models.models.Model;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import dev.chorus.serve.ServerMetrics;
import dev.chorus.serve.config.Limits;
import dev.chorus.serve.config.ServerSettings;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class SdkScratchTest {
    static ChorusServer server;
    static OpenAIClient client;

    @BeforeAll
    static void start() {
        server = new ChorusServer(new ServerSettings("127.0.0.1", 0, 1, 1, List.of("key")), Limits.defaults(),
                new ServerMetrics()).start();
        server.ready(FakeServices.of(2, 8, 1000, new FakeExpert("alpha"), new FakeExpert("beta")));
        client = OpenAIOkHttpClient.builder().baseUrl(server.baseUrl() + "/v1").apiKey("key").build();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void openAiSdk() throws Exception {
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model("chorus")
                .addSystemMessage("sys").addUserMessage("talk to beta").maxCompletionTokens(3).temperature(0.0)
                .seed(1).build();
        HttpResponseFor<ChatCompletion> raw = client.chat().completions().withRawResponse().create(params);
        ChatCompletion c = raw.parse();
        System.out.println(c);
        assertThat(raw.headers().values("X-Chorus-Expert")).containsExactly("beta");
        assertThat(c.choices().get(0).message().content()).hasValue("w0 w1 w2");
        assertThat(c.usage().get().completionTokens()).isEqualTo(3);
        StringBuilder sb = new StringBuilder();
        long[] usage = {-1};
        try (StreamResponse<ChatCompletionChunk> s = client.chat().completions().createStreaming(params.toBuilder()
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
            s.stream().forEach(ch -> {
                ch.choices().forEach(x -> x.delta().content().ifPresent(sb::append));
                ch.usage().ifPresent(u -> usage[0] = u.completionTokens());
            });
        }
        assertThat(sb.toString()).isEqualTo("w0 w1 w2");
        assertThat(usage[0]).isEqualTo(3);
        Completion comp = client.completions().create(CompletionCreateParams.builder()
                .model(CompletionCreateParams.Model.of("alpha")).prompt("abc").maxTokens(2).build());
        assertThat(comp.choices().get(0).text()).isEqualTo("w0 w1");
        List<Model> models = client.models().list().data();
        assertThat(models).extracting(Model::id).contains("chorus", "alpha");
        CreateEmbeddingResponse emb = client.embeddings().create(EmbeddingCreateParams.builder().model("chorus")
                .input("hello").build());
        assertThat(emb.data().get(0).embedding()).hasSize(3);
    }

    @Test
    void langchain() throws Exception {
        OpenAiChatModel model = OpenAiChatModel.builder().baseUrl(server.baseUrl() + "/v1").apiKey("key")
                .modelName("chorus").temperature(0.0).maxTokens(3).build();
        ChatResponse r = model.chat(dev.langchain4j.model.chat.request.ChatRequest.builder()
                .messages(dev.langchain4j.data.message.UserMessage.from("hello beta")).build());
        System.out.println(r);
        assertThat(r.aiMessage().text()).isEqualTo("w0 w1 w2");
        OpenAiStreamingChatModel streaming = OpenAiStreamingChatModel.builder().baseUrl(server.baseUrl() + "/v1")
                .apiKey("key").modelName("alpha").maxTokens(4).build();
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();
        StringBuilder parts = new StringBuilder();
        streaming.chat("hi", new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(String partial) {
                parts.append(partial);
            }

            @Override
            public void onCompleteResponse(ChatResponse response) {
                done.complete(response);
            }

            @Override
            public void onError(Throwable error) {
                done.completeExceptionally(error);
            }
        });
        ChatResponse sr = done.get(20, TimeUnit.SECONDS);
        System.out.println(sr);
        assertThat(parts.toString()).isEqualTo("w0 w1 w2 w3");
        assertThat(sr.aiMessage().text()).isEqualTo("w0 w1 w2 w3");
    }
}
