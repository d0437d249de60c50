# kernel/mm: physical memory — memblock, mem_map and zones, the buddy
# allocator, slab caches and kmalloc (lab 2); their in-kernel tests.
obj-y += kernel/mm/memblock.o
obj-y += kernel/mm/init.o
obj-y += kernel/mm/buddy.o
obj-y += kernel/mm/page_alloc.o
obj-y += kernel/mm/slab.o
obj-y += kernel/mm/slab_debug.o
obj-y += kernel/mm/kmalloc.o
obj-y += kernel/mm/page_alloc_ktest.o
obj-y += kernel/mm/slab_ktest.o
obj-y += kernel/mm/slab_debug_ktest.o
obj-y += kernel/mm/pmm_bench_ktest.o
# vmalloc: virtually contiguous allocations with guard pages (lab 3).
obj-y += kernel/mm/vmalloc.o
obj-y += kernel/mm/vmalloc_ktest.o
# Labs 6 and 7: address spaces — their life, VMAs, page faults and
# copy-on-write, the memory system calls, the OOM killer.
obj-y += kernel/mm/mm.o
obj-y += kernel/mm/vma.o
obj-y += kernel/mm/memory.o
obj-y += kernel/mm/mmap.o
obj-y += kernel/mm/oom.o
# Lab 8: the page cache, which read/write and file mappings share.
obj-y += kernel/mm/filemap.o
