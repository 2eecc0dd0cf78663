package dev.socketconnector.autoconfigure.readme;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.socketconnector.SocketObserver;
import org.jspecify.annotations.Nullable;

/**
 * The user's observer that the README's customizer example adds: records the targets it
 * sees dialled.
 */
class MyObserver implements SocketObserver {

    final List<String> targets = new CopyOnWriteArrayList<>();

    @Override
    public void connecting(@Nullable String endpoint, boolean tls, String target) {
        this.targets.add(target);
    }

}
