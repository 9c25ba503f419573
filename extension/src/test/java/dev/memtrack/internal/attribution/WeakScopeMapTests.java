package dev.memtrack.internal.attribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WeakScopeMapTests {

    private final WeakScopeMap map = new WeakScopeMap();

    @Test
    void maps_by_identity_not_equality() {
        String a = new String("task");
        String b = new String("task");
        map.put(a, 7);
        assertThat(map.get(a)).isEqualTo(7);
        assertThat(map.get(b)).isZero();
    }

    @Test
    void first_registration_wins_and_remove_takes_it() {
        Object task = new Object();
        map.putIfAbsent(task, 3);
        map.putIfAbsent(task, 4);
        assertThat(map.remove(task)).isEqualTo(3);
        assertThat(map.get(task)).isZero();
        assertThat(map.size()).isZero();
    }

    @Test
    void put_zero_removes_and_growth_keeps_every_mapping() {
        List<Object> keys = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            Object key = new Object();
            keys.add(key);
            map.put(key, i + 1);
        }
        for (int i = 0; i < keys.size(); i++) {
            assertThat(map.get(keys.get(i))).isEqualTo(i + 1);
        }
        map.put(keys.get(0), 0);
        assertThat(map.get(keys.get(0))).isZero();
        assertThat(map.size()).isEqualTo(4_999);
    }

    @Test
    void does_not_keep_keys_alive() throws Exception {
        for (int i = 0; i < 1_000; i++) {
            map.put(new Object(), 1);
        }
        for (int attempt = 0; attempt < 50 && map.size() > 0; attempt++) {
            System.gc();
            Thread.sleep(20);
        }
        assertThat(map.size()).isZero();
    }
}
