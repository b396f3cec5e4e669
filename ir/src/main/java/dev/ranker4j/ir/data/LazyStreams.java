package dev.ranker4j.ir.data;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/** Turns a "next element or null" reader over an open resource into a lazy, ordered stream that closes it. */
final class LazyStreams {
    private LazyStreams() {}

    /**
     * A stream whose elements come from {@code next} (null = end), asked for only when the stream needs one, so an
     * error in the first element surfaces inside the stream pipeline, whose close then releases {@code resource}.
     */
    static <T> Stream<T> of(Supplier<T> next, Closeable resource) {
        Iterator<T> iterator = new Iterator<>() {
            private T pending;
            private boolean fetched;

            @Override
            public boolean hasNext() {
                if (!fetched) {
                    pending = next.get();
                    fetched = true;
                }
                return pending != null;
            }

            @Override
            public T next() {
                if (!hasNext()) throw new NoSuchElementException();
                fetched = false;
                return pending;
            }
        };
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(iterator, Spliterator.ORDERED), false)
                .onClose(() -> {
                    try {
                        resource.close();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
    }
}
