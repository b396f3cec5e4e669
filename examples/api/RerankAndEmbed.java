import dev.ranker4j.api.Embedder;
import dev.ranker4j.api.EmbedderOptions;
import dev.ranker4j.api.Reranker;
import dev.ranker4j.api.RerankerOptions;
import dev.ranker4j.api.ScoredPassage;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * ranker4j's API in an application: rank passages for a query, embed texts, and call one model from many threads.
 * Run it as examples/api/README.md says; the build compiles and runs it with tiny models (ApiExampleTest).
 *
 * <p>Arguments: a re-ranking model (a cross-encoder, or a dual encoder which then ranks by cosine similarity) and an
 * embedding model, each a directory or a Hugging Face Hub id; both default to ../shared/models/all-MiniLM-L6-v2.
 */
public class RerankAndEmbed {
    public static void main(String[] args) throws Exception {
        String rerankerModel = args.length > 0 ? args[0] : "../shared/models/all-MiniLM-L6-v2";
        String embedderModel = args.length > 1 ? args[1] : rerankerModel;
        String query = "how do plants make food";
        List<String> passages = List.of(
                "The Roman Empire ruled the Mediterranean for centuries.",
                "Plants convert sunlight, water and carbon dioxide into glucose in their chloroplasts.",
                "Photosynthesis is how green plants make their food from light.");

        // 1. Re-rank: one line to load (the kind is read from the directory), one call to rank.
        try (Reranker reranker = Reranker.load(rerankerModel, RerankerOptions.defaults().withMaxLength(256))) {
            System.out.println("reranker: " + reranker.kind().id());
            for (ScoredPassage passage : reranker.rank(query, passages)) {
                System.out.printf("%8.4f  %s%n", passage.score(), passages.get(passage.index()));
            }

            // 2. The same model from many threads at once: calls are served one at a time by the model's own
            //    inference thread, so this is safe (pass many queries to scoreAll to share forward passes).
            try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<float[]>> answers = List.of(
                        threads.submit(() -> reranker.score(query, passages)),
                        threads.submit(() -> reranker.score("the fall of Rome", passages)));
                for (Future<float[]> answer : answers) System.out.println("scores: " + java.util.Arrays.toString(answer.get()));
            }
        }

        // 3. Embed: pooling comes from the model directory; here the vectors are also made unit-length.
        try (Embedder embedder = Embedder.load(embedderModel, EmbedderOptions.defaults().withNormalize(true))) {
            float[] q = embedder.embed(query);
            float[][] vectors = embedder.embed(passages);
            System.out.println("dimension: " + embedder.dimension());
            for (int i = 0; i < vectors.length; i++) {
                float dot = 0;
                for (int j = 0; j < q.length; j++) dot += q[j] * vectors[i][j];
                System.out.printf("cosine %7.4f  %s%n", dot, passages.get(i));
            }
        }
    }
}
