//! The memory allocator of the content script's and the worker's wasm, in place of std's
//! dlmalloc (~7 KB of code, the content script's largest single dependency).
//!
//! Every block is a power of two bytes (at least 8), aligned to its size up to a 64 KiB page.
//! A freed block goes on its size's free list and is handed out again from there; a request
//! no list of its size can serve splits the smallest larger free block in halves (so a large
//! buffer, once freed, serves smaller ones); only then is a block cut from the end of the
//! memory grown so far. Allocating and freeing are a few instructions each, whatever the heap
//! holds. What it gives up against dlmalloc: a block is up to twice the bytes asked for, and
//! freed blocks are never merged again, so memory is larger (the content script's on the
//! 10,000-card page ~48 %, on a 26-card page one 64 KiB page; see BENCHMARKS.md).
//!
//! [`Heap`] is plain code over any [`Memory`], tested natively; on wasm32 it is the global
//! allocator over the module's linear memory.

use core::alloc::Layout;

/// A wasm page: linear memory grows by whole pages.
pub const PAGE: usize = 64 * 1024;

/// The smallest block: room for a free list's link (a `usize`, 4 bytes on wasm32, 8 natively).
const SMALLEST: usize = 8;

/// Where the heap gets memory: `grow(pages)` adds `pages` pages and returns the address of the
/// first, or `None` when there is no more.
pub trait Memory {
    fn grow(&mut self, pages: usize) -> Option<usize>;
}

/// Free lists by size, and the memory not yet cut into blocks.
pub struct Heap<M> {
    memory: M,
    /// The first free block of each size `1 << index` (0: none); each free block's first
    /// `usize` is the address of the next one.
    free: [usize; usize::BITS as usize],
    /// Bit `index` set: that size's list holds a block.
    listed: usize,
    /// The first byte not yet cut into a block, and the end of the memory grown so far.
    next: usize,
    end: usize,
}

/// The size of the block that holds `size` bytes aligned to `align`, as a power of two's
/// exponent; `None` when no block can (larger than half the address space, or aligned beyond a
/// page, which the blocks cut from memory are not).
fn size_class(size: usize, align: usize) -> Option<usize> {
    if align > PAGE {
        return None;
    }
    let block = size.max(align).max(SMALLEST).checked_next_power_of_two()?;
    Some(block.trailing_zeros() as usize)
}

impl<M: Memory> Heap<M> {
    pub const fn new(memory: M) -> Self {
        Heap {
            memory,
            free: [0; usize::BITS as usize],
            listed: 0,
            next: 0,
            end: 0,
        }
    }

    /// A block for `layout`, or null when memory cannot grow.
    ///
    /// # Safety
    /// Every block handed back through [`Heap::free`] came from this heap with its layout.
    pub unsafe fn allocate(&mut self, layout: Layout) -> *mut u8 {
        let Some(class) = size_class(layout.size(), layout.align()) else {
            return core::ptr::null_mut();
        };
        // The smallest listed block of this size or larger; a larger one is split in halves,
        // the first half kept each time and the second listed.
        let listed_from_here = self.listed >> class;
        if listed_from_here != 0 {
            let listed = class + listed_from_here.trailing_zeros() as usize;
            // SAFETY: `listed`'s bit says its list holds a block; the halves lie inside it.
            unsafe {
                let block = self.pop(listed);
                for half in (class..listed).rev() {
                    self.push(block + (1 << half), half);
                }
                return block as *mut u8;
            }
        }
        self.cut(class)
            .map_or(core::ptr::null_mut(), |address| address as *mut u8)
    }

    /// Puts a block back on its size's list.
    ///
    /// # Safety
    /// `block` came from [`Heap::allocate`] (or [`Heap::resize`]) with `layout`, and is not
    /// used again.
    pub unsafe fn free(&mut self, block: *mut u8, layout: Layout) {
        if let Some(class) = size_class(layout.size(), layout.align()) {
            // SAFETY: the caller gives the block back, so its first bytes are ours to link.
            unsafe { self.push(block as usize, class) };
        }
    }

    /// The block resized to `new_size`: the same block while the size fits it, else a new
    /// one with the contents copied (null, and the old block kept, when memory cannot grow).
    ///
    /// # Safety
    /// As for [`Heap::free`]; `new_size` with `layout`'s alignment is a valid layout.
    pub unsafe fn resize(&mut self, block: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if size_class(layout.size(), layout.align()) == size_class(new_size, layout.align()) {
            return block;
        }
        // SAFETY: the caller's promise: `new_size` and this alignment form a valid layout.
        let new_layout = unsafe { Layout::from_size_align_unchecked(new_size, layout.align()) };
        // SAFETY: the new block is allocated here; the old one is the caller's, as promised.
        unsafe {
            let moved = self.allocate(new_layout);
            if !moved.is_null() {
                core::ptr::copy_nonoverlapping(block, moved, layout.size().min(new_size));
                self.free(block, layout);
            }
            moved
        }
    }

    /// # Safety
    /// `address` is the start of `1 << class` bytes of this heap's memory that nothing uses.
    unsafe fn push(&mut self, address: usize, class: usize) {
        // SAFETY: as the caller promises; every block is at least a `usize`, aligned to it.
        unsafe { (address as *mut usize).write(self.free[class]) };
        self.free[class] = address;
        self.listed |= 1 << class;
    }

    /// # Safety
    /// The list of `class` holds a block (its bit in `listed` is set).
    unsafe fn pop(&mut self, class: usize) -> usize {
        let head = self.free[class];
        // SAFETY: `head` is a free block of this heap, holding its list's next link.
        self.free[class] = unsafe { (head as *const usize).read() };
        if self.free[class] == 0 {
            self.listed &= !(1 << class);
        }
        head
    }

    /// A new block of `1 << class` bytes from the memory not yet cut, growing it when short.
    fn cut(&mut self, class: usize) -> Option<usize> {
        let size = 1usize << class;
        let align = size.min(PAGE);
        let start = self.next.checked_next_multiple_of(align)?;
        if start.checked_add(size)? > self.end {
            let pages = (start + size - self.end).div_ceil(PAGE);
            let grown = self.memory.grow(pages)?;
            if grown != self.end {
                // Not right after our memory (the first growth, or someone else grew it):
                // what was left of ours stays unused, and cutting restarts here.
                self.next = grown;
                self.end = grown + pages * PAGE;
                return self.cut(class);
            }
            self.end += pages * PAGE;
        }
        // The bytes skipped to align the block become smaller free blocks, each aligned to its
        // size (the lowest set bit of the address is the largest such block there).
        while self.next < start {
            let piece = self.next & self.next.wrapping_neg();
            // SAFETY: `[next, next + piece)` lies before `start`, inside grown memory, unused.
            unsafe { self.push(self.next, piece.trailing_zeros() as usize) };
            self.next += piece;
        }
        self.next = start + size;
        Some(start)
    }
}

// The content script and the worker only: the Leptos pages call `std::thread::current`, which
// allocates from std's own allocator directly, so dlmalloc would stay in them beside this one.
#[cfg(all(
    target_arch = "wasm32",
    not(target_feature = "atomics"),
    any(feature = "content", feature = "background"),
    not(any(feature = "popup", feature = "options", feature = "send"))
))]
mod wasm {
    use super::{Heap, Memory, PAGE};
    use core::alloc::{GlobalAlloc, Layout};
    use core::cell::UnsafeCell;

    /// The module's linear memory (memory 0). Were std's own allocator ever linked beside this
    /// one, each would skip the pages the other grew (see `Heap::cut`).
    pub struct LinearMemory;

    impl Memory for LinearMemory {
        fn grow(&mut self, pages: usize) -> Option<usize> {
            let previous_pages = core::arch::wasm32::memory_grow(0, pages);
            (previous_pages != usize::MAX).then(|| previous_pages * PAGE)
        }
    }

    pub struct GlobalHeap(UnsafeCell<Heap<LinearMemory>>);

    // SAFETY: wasm32 without the atomics feature has one thread, and the allocator never calls
    // itself, so no two borrows of the heap overlap.
    unsafe impl Sync for GlobalHeap {}

    // SAFETY: `Heap` hands out distinct blocks of at least the layout's size and alignment.
    // Never inlined: each of the thousands of allocating call sites stays one call.
    unsafe impl GlobalAlloc for GlobalHeap {
        #[inline(never)]
        unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
            // SAFETY: one thread, no reentry (above).
            unsafe { (*self.0.get()).allocate(layout) }
        }

        #[inline(never)]
        unsafe fn dealloc(&self, block: *mut u8, layout: Layout) {
            // SAFETY: as for `alloc`; the caller's block and layout are `free`'s.
            unsafe { (*self.0.get()).free(block, layout) }
        }

        #[inline(never)]
        unsafe fn realloc(&self, block: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
            // SAFETY: as for `alloc`; `GlobalAlloc::realloc`'s promises are `resize`'s.
            unsafe { (*self.0.get()).resize(block, layout, new_size) }
        }
    }

    #[global_allocator]
    static HEAP: GlobalHeap = GlobalHeap(UnsafeCell::new(Heap::new(LinearMemory)));
}

#[cfg(test)]
mod tests {
    use super::*;

    const BACKING_PAGES: usize = 256;

    /// Memory from the test's own allocation, page-aligned, counting its growths.
    struct TestMemory {
        pages: Vec<Vec<u8>>,
        contiguous_until: usize,
        growths: usize,
        limit: usize,
        /// A region handed out before the heap's first growth, as if someone else grew memory.
        foreign: bool,
    }

    impl TestMemory {
        fn new(limit: usize) -> Self {
            TestMemory {
                pages: Vec::new(),
                contiguous_until: 0,
                growths: 0,
                limit,
                foreign: false,
            }
        }
    }

    impl Memory for TestMemory {
        fn grow(&mut self, pages: usize) -> Option<usize> {
            if self.growths == self.limit {
                return None;
            }
            self.growths += 1;
            // One big backing area, reserved on the first growth, so growths are contiguous.
            if self.pages.is_empty() {
                self.pages.push(vec![0; BACKING_PAGES * PAGE + PAGE]);
                let base = self.pages[0].as_ptr() as usize;
                self.contiguous_until = base.next_multiple_of(PAGE);
                if self.foreign {
                    self.contiguous_until += PAGE;
                }
            }
            let base = self.pages[0].as_ptr() as usize;
            let first = self.contiguous_until;
            if first + pages * PAGE > base + BACKING_PAGES * PAGE + PAGE {
                return None;
            }
            self.contiguous_until += pages * PAGE;
            Some(first)
        }
    }

    fn layout(size: usize, align: usize) -> Layout {
        Layout::from_size_align(size, align).unwrap()
    }

    #[test]
    fn blocks_are_powers_of_two_from_eight_bytes_and_aligned_to_their_size() {
        assert_eq!(size_class(0, 1), Some(3));
        assert_eq!(size_class(1, 1), Some(3));
        assert_eq!(size_class(8, 8), Some(3));
        assert_eq!(size_class(9, 1), Some(4));
        assert_eq!(size_class(3, 32), Some(5));
        assert_eq!(size_class(PAGE + 1, 8), Some(17));
        assert_eq!(size_class(8, 2 * PAGE), None);
        assert_eq!(size_class(usize::MAX, 1), None);

        let mut heap = Heap::new(TestMemory::new(usize::MAX));
        for (size, align) in [(1, 1), (24, 8), (3, 32), (100, 4), (5000, 8), (70_000, 16)] {
            let block = unsafe { heap.allocate(layout(size, align)) } as usize;
            let class = size_class(size, align).unwrap();
            assert_ne!(block, 0);
            assert_eq!(
                block % (1 << class).min(PAGE),
                0,
                "{size} bytes aligned {align}"
            );
        }
    }

    #[test]
    fn a_freed_block_is_handed_out_again_for_its_size() {
        let mut heap = Heap::new(TestMemory::new(usize::MAX));
        let first = unsafe { heap.allocate(layout(40, 8)) };
        let other = unsafe { heap.allocate(layout(40, 8)) };
        unsafe { heap.free(first, layout(40, 8)) };
        // 33 to 64 bytes share the block size: the freed one comes back first.
        assert_eq!(unsafe { heap.allocate(layout(64, 4)) }, first);
        assert_ne!(unsafe { heap.allocate(layout(40, 8)) }, other);
    }

    #[test]
    fn bytes_skipped_to_align_a_block_serve_smaller_ones() {
        let mut heap = Heap::new(TestMemory::new(usize::MAX));
        let small = unsafe { heap.allocate(layout(8, 8)) } as usize;
        let page = unsafe { heap.allocate(layout(PAGE, 8)) } as usize;
        assert_eq!(page % PAGE, 0);
        assert_eq!(
            heap.memory.growths, 2,
            "the first page was cut; the second grown"
        );
        // The rest of the first page, 8 bytes on, went to the lists: 8, 16, 32, … 32768 bytes.
        let mut next = small + 8;
        while next < page {
            let size = next & next.wrapping_neg();
            assert_eq!(unsafe { heap.allocate(layout(size, 1)) } as usize, next);
            next += size;
        }
        assert_eq!(heap.memory.growths, 2);
    }

    #[test]
    fn a_larger_free_block_is_split_before_memory_grows() {
        let mut heap = Heap::new(TestMemory::new(usize::MAX));
        let page = unsafe { heap.allocate(layout(PAGE, 8)) } as usize;
        unsafe { heap.free(page as *mut u8, layout(PAGE, 8)) };
        let growths = heap.memory.growths;
        assert_eq!(unsafe { heap.allocate(layout(8, 8)) } as usize, page);
        // The halves it was split into serve the sizes between: 8, 16, … 32768 bytes on.
        for class in 3..16 {
            let size = 1 << class;
            assert_eq!(
                unsafe { heap.allocate(layout(size, 8)) } as usize,
                page + size
            );
        }
        assert_eq!(heap.memory.growths, growths, "nothing grown");
    }

    #[test]
    fn resizing_keeps_the_block_while_it_fits_and_moves_the_contents_when_not() {
        let mut heap = Heap::new(TestMemory::new(usize::MAX));
        let block = unsafe { heap.allocate(layout(20, 1)) };
        unsafe { core::ptr::copy_nonoverlapping(b"twenty bytes of text".as_ptr(), block, 20) };
        assert_eq!(unsafe { heap.resize(block, layout(20, 1), 32) }, block);
        let moved = unsafe { heap.resize(block, layout(32, 1), 33) };
        assert_ne!(moved, block);
        let text = unsafe { core::slice::from_raw_parts(moved, 20) };
        assert_eq!(text, b"twenty bytes of text");
        // The old block was freed.
        assert_eq!(unsafe { heap.allocate(layout(32, 1)) }, block);
        let shrunk = unsafe { heap.resize(moved, layout(33, 1), 2) };
        assert_eq!(unsafe { core::slice::from_raw_parts(shrunk, 2) }, b"tw");
    }

    #[test]
    fn no_memory_is_null_and_loses_nothing() {
        let mut heap = Heap::new(TestMemory::new(1));
        let block = unsafe { heap.allocate(layout(100, 8)) };
        assert!(!block.is_null());
        unsafe { block.write(7) };
        assert!(unsafe { heap.allocate(layout(2 * PAGE, 8)) }.is_null());
        assert!(unsafe { heap.resize(block, layout(100, 8), 2 * PAGE) }.is_null());
        assert_eq!(
            unsafe { block.read() },
            7,
            "a failed resize keeps the old block"
        );
        assert!(unsafe { heap.allocate(layout(8, 2 * PAGE)) }.is_null());
    }

    #[test]
    fn memory_grown_elsewhere_is_skipped_not_overwritten() {
        let mut memory = TestMemory::new(usize::MAX);
        memory.foreign = true;
        let mut heap = Heap::new(memory);
        let first = unsafe { heap.allocate(layout(8, 8)) } as usize;
        let base = (heap.memory.pages[0].as_ptr() as usize).next_multiple_of(PAGE);
        assert_eq!(
            first,
            base + PAGE,
            "the heap starts where its own growth does"
        );
        // A growth that is not right after the heap's memory restarts cutting there.
        heap.memory.contiguous_until += PAGE;
        let big = unsafe { heap.allocate(layout(PAGE, 8)) } as usize;
        assert_eq!(big, base + 3 * PAGE);
    }

    /// Many blocks of mixed sizes, freed and resized in a scrambled order: none overlaps another
    /// live one, each keeps what was written into it.
    #[test]
    fn live_blocks_never_overlap_and_keep_their_contents() {
        let mut heap = Heap::new(TestMemory::new(usize::MAX));
        let mut live: Vec<(usize, Layout, u8)> = Vec::new();
        let mut seed = 0x2545_f491_u32;
        let mut random = move |below: u32| {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            seed % below
        };
        for step in 0..20_000u32 {
            let action = random(10);
            if action < 4 || live.is_empty() {
                let size = [1, 7, 8, 13, 24, 64, 100, 500, 4096, 20_000][random(10) as usize];
                let align = [1, 2, 4, 8, 16][random(5) as usize];
                let layout = layout(size, align);
                let block = unsafe { heap.allocate(layout) };
                assert!(!block.is_null());
                assert_eq!(block as usize % align, 0);
                let fill = step as u8;
                unsafe { block.write_bytes(fill, size) };
                live.push((block as usize, layout, fill));
            } else if action < 8 {
                let (block, layout, fill) = live.swap_remove(random(live.len() as u32) as usize);
                let bytes =
                    unsafe { core::slice::from_raw_parts(block as *const u8, layout.size()) };
                assert!(bytes.iter().all(|b| *b == fill));
                unsafe { heap.free(block as *mut u8, layout) };
            } else {
                let index = random(live.len() as u32) as usize;
                let (block, old, fill) = live[index];
                let new_size = [3, 16, 40, 300, 5000][random(5) as usize];
                let moved = unsafe { heap.resize(block as *mut u8, old, new_size) };
                let kept = old.size().min(new_size);
                let bytes = unsafe { core::slice::from_raw_parts(moved, kept) };
                assert!(bytes.iter().all(|b| *b == fill));
                unsafe { moved.write_bytes(fill, new_size) };
                live[index] = (moved as usize, layout(new_size, old.align()), fill);
            }
        }
        live.sort_unstable_by_key(|(block, ..)| *block);
        for pair in live.windows(2) {
            assert!(pair[0].0 + pair[0].1.size() <= pair[1].0, "blocks overlap");
        }
        for (block, layout, fill) in &live {
            let bytes = unsafe { core::slice::from_raw_parts(*block as *const u8, layout.size()) };
            assert!(bytes.iter().all(|b| b == fill));
        }
    }
}
