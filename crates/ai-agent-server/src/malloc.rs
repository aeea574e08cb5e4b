//! How many heaps glibc's malloc may keep.
//!
//! glibc gives each thread that allocates while the others hold their heaps
//! a heap of its own, up to eight per core, and seldom returns their free
//! memory. Under 32 connections the server runs some fifty threads (the
//! blocking threads of database calls): the default let it reach 42 MB,
//! against 31 MB with one heap per core, at the same request rate (see
//! docs/benchmarks.md). An operator's own `MALLOC_ARENA_MAX` or glibc
//! tunable wins.

/// The heap limit to set, if any: one per core, unless the environment
/// already says.
pub fn arena_limit(env: impl Fn(&str) -> Option<String>, cores: usize) -> Option<i32> {
    let tuned = env("GLIBC_TUNABLES").is_some_and(|t| t.contains("arena_max"));
    if env("MALLOC_ARENA_MAX").is_some() || tuned {
        return None;
    }
    Some(i32::try_from(cores.max(2)).unwrap_or(i32::MAX))
}

/// Sets the limit; called first in `main`, before any thread starts.
pub fn limit_arenas() {
    let cores = std::thread::available_parallelism().map_or(2, usize::from);
    if let Some(limit) = arena_limit(|k| std::env::var(k).ok(), cores) {
        set(limit);
    }
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[allow(unsafe_code)]
fn set(limit: i32) {
    // SAFETY: mallopt takes two integers and changes only malloc's own
    // settings; it is called before any other thread exists.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, limit);
    }
}

/// Other allocators have no such setting.
#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn set(_limit: i32) {}

/// Gives the free memory of every heap back to the system, after work that
/// allocated in proportion to its input (an import): glibc keeps it
/// otherwise, and each import left the next one a little more to grow over.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[allow(unsafe_code)]
pub fn release_free_memory() {
    // SAFETY: malloc_trim takes an integer and only returns free pages of
    // malloc's own heaps to the kernel; it is safe to call from any thread.
    unsafe {
        libc::malloc_trim(0);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
pub fn release_free_memory() {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_heap_per_core_unless_the_operator_says() {
        let none = |_: &str| None;
        assert_eq!(arena_limit(none, 2), Some(2));
        assert_eq!(arena_limit(none, 16), Some(16));
        assert_eq!(arena_limit(none, 1), Some(2));
        let own = |k: &str| (k == "MALLOC_ARENA_MAX").then(|| "8".to_string());
        assert_eq!(arena_limit(own, 2), None);
        let tunable =
            |k: &str| (k == "GLIBC_TUNABLES").then(|| "glibc.malloc.arena_max=4".to_string());
        assert_eq!(arena_limit(tunable, 2), None);
        let other =
            |k: &str| (k == "GLIBC_TUNABLES").then(|| "glibc.malloc.tcache_count=0".to_string());
        assert_eq!(arena_limit(other, 2), Some(2));
    }
}
