package dev.ranker4j.training.sampling;

import dev.ranker4j.ir.retrieval.DenseVectors;

import org.apache.commons.math3.ml.clustering.CentroidCluster;
import org.apache.commons.math3.ml.clustering.Clusterable;
import org.apache.commons.math3.ml.clustering.KMeansPlusPlusClusterer;
import org.apache.commons.math3.ml.distance.EuclideanDistance;
import org.apache.commons.math3.random.JDKRandomGenerator;

import java.util.ArrayList;
import java.util.List;

/**
 * Topic clusters of training queries for TAS-Balanced: k-means with k-means++ seeding (Arthur and Vassilvitskii
 * 2007) on the query embeddings, Euclidean distance (on normalised embeddings this orders like cosine), Apache
 * Commons Math's implementation with a seeded generator, so the same seed gives the same clusters.
 */
public final class QueryClustering {
    private QueryClustering() {}

    /**
     * Clusters the queries.
     *
     * @return the query ids of each non-empty cluster
     */
    public static List<List<String>> kMeansPlusPlus(DenseVectors queries, int k, int maxIterations, long seed) {
        if (k < 1 || k > queries.size()) {
            throw new IllegalArgumentException("cannot make " + k + " clusters of " + queries.size() + " queries");
        }
        List<QueryPoint> points = new ArrayList<>(queries.size());
        for (int i = 0; i < queries.size(); i++) {
            float[] vector = queries.vector(i);
            double[] point = new double[vector.length];
            for (int j = 0; j < vector.length; j++) point[j] = vector[j];
            points.add(new QueryPoint(queries.ids().get(i), point));
        }
        JDKRandomGenerator random = new JDKRandomGenerator();
        random.setSeed(seed);
        var clusterer = new KMeansPlusPlusClusterer<QueryPoint>(k, maxIterations, new EuclideanDistance(), random);
        List<List<String>> clusters = new ArrayList<>();
        for (CentroidCluster<QueryPoint> cluster : clusterer.cluster(points)) {
            List<String> ids = cluster.getPoints().stream().map(QueryPoint::id).toList();
            if (!ids.isEmpty()) clusters.add(ids);
        }
        return clusters;
    }

    private record QueryPoint(String id, double[] point) implements Clusterable {
        @Override
        public double[] getPoint() {
            return point;
        }
    }
}
