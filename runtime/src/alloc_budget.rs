//! A memory bound on one evaluation. jsonata-core bounds an expression's
//! time and depth, not its memory: a function doubling a string 34 times
//! builds gigabytes inside its 2 s timeout. A binary wraps its global
//! allocator in [`Budgeted`], which counts what the current thread
//! allocates while a [`Scope`] is open and, once the live total passes the
//! scope's bound, cancels the scope's token; the evaluator stops at its
//! next step. Without the wrapper (a library user's own allocator) nothing
//! is counted and only the time bound holds.
#![allow(unsafe_code)]

use jsonata_core::evaluator::CancelToken;
use std::alloc::{GlobalAlloc, Layout};
use std::cell::Cell;
use std::sync::atomic::{AtomicUsize, Ordering};

/// A global allocator that counts the bytes of open [`Scope`]s:
/// `#[global_allocator] static A: Budgeted<System> = Budgeted(System);`
pub struct Budgeted<A>(pub A);

/// The open scope of this thread. `Copy` with a constant initialiser, so
/// reading it from inside the allocator allocates nothing.
#[derive(Clone, Copy)]
struct State {
    /// Bytes allocated minus bytes freed since the scope opened.
    live: isize,
    limit: isize,
    tripped: bool,
    /// Valid while the scope that set it lives; null when none is open.
    token: *const CancelToken,
}

const CLOSED: State = State { live: 0, limit: isize::MAX, tripped: false, token: std::ptr::null() };

thread_local! {
    static STATE: Cell<State> = const { Cell::new(CLOSED) };
}

/// Scopes open on any thread: while there are none, which is most of a
/// run, an allocation costs one load more than the wrapped allocator's.
static OPEN: AtomicUsize = AtomicUsize::new(0);

#[inline(always)]
fn charge(bytes: isize) {
    if OPEN.load(Ordering::Relaxed) != 0 {
        charge_open_scope(bytes);
    }
}

fn charge_open_scope(bytes: isize) {
    // `try_with`: the allocator also runs while thread-locals are torn down.
    let _ = STATE.try_with(|cell| {
        let mut s = cell.get();
        if s.token.is_null() {
            return;
        }
        s.live = s.live.saturating_add(bytes);
        if s.live > s.limit && !s.tripped {
            s.tripped = true;
            // SAFETY: `token` points at the token the open scope borrows;
            // the scope clears it before the borrow ends. `cancel` is an
            // atomic store and allocates nothing.
            unsafe { (*s.token).cancel() };
        }
        cell.set(s);
    });
}

// SAFETY: every method forwards to the wrapped allocator unchanged; the
// counting around it never allocates.
unsafe impl<A: GlobalAlloc> GlobalAlloc for Budgeted<A> {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        charge(layout.size() as isize);
        unsafe { self.0.alloc(layout) }
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        charge(layout.size() as isize);
        unsafe { self.0.alloc_zeroed(layout) }
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        charge(-(layout.size() as isize));
        unsafe { self.0.dealloc(ptr, layout) }
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        charge(new_size as isize - layout.size() as isize);
        unsafe { self.0.realloc(ptr, layout, new_size) }
    }
}

/// Counts this thread's allocations until dropped, cancelling `token` once
/// more than `limit` bytes are live.
pub struct Scope<'a> {
    outer: State,
    _token: std::marker::PhantomData<&'a CancelToken>,
}

impl<'a> Scope<'a> {
    pub fn enter(token: &'a CancelToken, limit: usize) -> Scope<'a> {
        let state = State { live: 0, limit: limit.min(isize::MAX as usize) as isize, tripped: false, token };
        OPEN.fetch_add(1, Ordering::Relaxed);
        Scope { outer: STATE.with(|cell| cell.replace(state)), _token: std::marker::PhantomData }
    }

    /// Whether the bound was passed since the scope opened.
    pub fn tripped(&self) -> bool {
        STATE.with(|cell| cell.get().tripped)
    }
}

impl Drop for Scope<'_> {
    fn drop(&mut self) {
        STATE.with(|cell| cell.set(self.outer));
        OPEN.fetch_sub(1, Ordering::Relaxed);
    }
}

// The unit tests run with the counting allocator, so the bound is tested.
#[cfg(test)]
#[global_allocator]
static TEST_ALLOCATOR: Budgeted<std::alloc::System> = Budgeted(std::alloc::System);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scope_cancels_its_token_past_the_bound_and_not_before() {
        let token = CancelToken::new();
        let scope = Scope::enter(&token, 1 << 20);
        let small = vec![0u8; 1 << 19];
        assert!(!token.is_cancelled() && !scope.tripped());
        drop(small);
        let big = vec![0u8; 1 << 21];
        assert!(token.is_cancelled() && scope.tripped());
        drop((big, scope));
        let after = vec![0u8; 1 << 22];
        assert!(!Scope::enter(&CancelToken::new(), 1 << 23).tripped(), "a closed scope leaves no count behind");
        drop(after);
    }
}
