/*
 * slab_debug.c — catching the three classic heap bugs as they happen.
 *
 * In debug mode (slab_debug=1, the default, or SLAB_DEBUG) every slot of a
 * cache is laid out with guard bytes around the object and a record after
 * them:
 *
 *	slot:  [ left red zone | object ......... | right red zone | meta ]
 *	         ^               ^                  ^                ^
 *	     obj - obj_offset    obj             obj + object_size
 *	                                                     obj + meta_offset
 *
 *	red zones   RED_INACTIVE (0xbb) while the object is free,
 *	            RED_ACTIVE (0xcc) while it is allocated
 *	object      POISON_FREE (0x6b) bytes and a final POISON_END (0xa5)
 *	            while free; whatever the owner wrote while allocated
 *	meta        the free-list link (kept out of the object, so a stray
 *	            write into a freed object cannot derail the allocator),
 *	            the callers of the last allocation and free, and a state:
 *	            free, allocated or quarantined
 *
 * (The byte values are Linux's, include/linux/poison.h, so that dumps look
 * familiar; the layout and code are ours.)  The checks:
 *
 *	double free        kfree/kmem_cache_free of an object whose state is
 *	                   free or quarantined: reported, the free is ignored
 *	out-of-bounds      a red zone byte is not RED_ACTIVE when the object is
 *	write              freed (or not RED_INACTIVE when it is reallocated):
 *	                   reported, the object is quarantined
 *	use after free     a poison byte changed by the time the object is
 *	                   allocated again (or the cache destroyed): reported,
 *	                   the object is quarantined and another one handed out
 *
 * A quarantined object is never handed out again, and its slab is never
 * given back to the page allocator: whoever still holds the stale pointer
 * can do no further harm.  A report names the bug, the cache, the object,
 * the caller of the allocator function that found it, the last allocation
 * and free of the object, and prints a backtrace; then the kernel goes on.
 *
 * Reports of invalid frees (a pointer no cache handed out) come from
 * slab.c and kmalloc.c in both modes, through slab_report here.
 *
 * Locking: the caller holds the cache lock for every function but
 * slab_report, which takes none (printk may be called anywhere).
 */
#include <kestrel/printk.h>
#include <kestrel/sprintf.h>
#include <kestrel/string.h>
#include "internal.h"

#define RED_ZONE	16	/* bytes on each side of an object, or more */
#define POISON_FREE	0x6b
#define POISON_END	0xa5
#define RED_INACTIVE	0xbb
#define RED_ACTIVE	0xcc

/* meta.state: four ASCII letters each, easy to spot in a memory dump */
#define STATE_FREE		0x65657266UL	/* "free" */
#define STATE_ALLOCATED		0x6f6c6c61UL	/* "allo" */
#define STATE_QUARANTINED	0x72617571UL	/* "quar" */

struct slab_meta {
	void *freeptr;			/* next free object (while free) */
	unsigned long alloc_caller;	/* return address in the allocator */
	unsigned long free_caller;	/* return address in the freer */
	unsigned long state;		/* STATE_* */
};

unsigned long slab_bug_count[NR_SLAB_BUGS];

static const char *const bug_names[NR_SLAB_BUGS] = {
	[SLAB_BUG_DOUBLE_FREE] = "double free",
	[SLAB_BUG_USE_AFTER_FREE] = "use after free",
	[SLAB_BUG_OUT_OF_BOUNDS] = "out-of-bounds write",
	[SLAB_BUG_INVALID_FREE] = "invalid free",
	[SLAB_BUG_CORRUPT] = "corrupted slab",
};

/**
 * slab_debug_layout - set @c's offsets for the debug slot layout above
 * (c->align and c->object_size are set) and return the slot size.  The
 * right red zone starts right after the last byte of the object, so even
 * a one-byte overflow lands in it.
 */
size_t slab_debug_layout(struct kmem_cache *c)
{
	size_t left = ALIGN_UP((size_t)RED_ZONE, c->align);
	size_t meta = ALIGN_UP(c->object_size + RED_ZONE, sizeof(void *));

	c->obj_offset = left;
	c->meta_offset = meta;
	c->freeptr_offset = meta + offsetof(struct slab_meta, freeptr);
	return ALIGN_UP(left + meta + sizeof(struct slab_meta), c->align);
}

static struct slab_meta *meta_of(const struct kmem_cache *c, const void *obj)
{
	return (struct slab_meta *)((char *)obj + c->meta_offset);
}

/* The first byte of [p, p + n) that is not @v, or NULL. */
static const u8 *find_not(const void *p, size_t n, u8 v)
{
	const u8 *b = p;
	size_t i;

	for (i = 0; i < n; i++)
		if (b[i] != v)
			return &b[i];
	return NULL;
}

static void fill_red_zones(const struct kmem_cache *c, void *obj, u8 v)
{
	memset((char *)obj - c->obj_offset, v, c->obj_offset);
	memset((char *)obj + c->object_size, v,
	       c->meta_offset - c->object_size);
}

static const u8 *red_zone_damage(const struct kmem_cache *c, const void *obj,
				 u8 v)
{
	const u8 *bad = find_not((const char *)obj - c->obj_offset,
				 c->obj_offset, v);

	return bad ? bad : find_not((const char *)obj + c->object_size,
				    c->meta_offset - c->object_size, v);
}

static void poison(const struct kmem_cache *c, void *obj)
{
	memset(obj, POISON_FREE, c->object_size - 1);
	((u8 *)obj)[c->object_size - 1] = POISON_END;
}

static const u8 *poison_damage(const struct kmem_cache *c, const void *obj)
{
	const u8 *last = (const u8 *)obj + c->object_size - 1;
	const u8 *bad = find_not(obj, c->object_size - 1, POISON_FREE);

	return bad ? bad : (*last != POISON_END ? last : NULL);
}

/** slab_debug_init_object - a new slab's object: poisoned, red zones
 *  inactive, state free (the caller then sets its free-list link). */
void slab_debug_init_object(const struct kmem_cache *c, void *obj)
{
	struct slab_meta *m = meta_of(c, obj);

	poison(c, obj);
	fill_red_zones(c, obj, RED_INACTIVE);
	m->alloc_caller = m->free_caller = 0;
	m->state = STATE_FREE;
}

static void quarantine(const struct kmem_cache *c, void *obj)
{
	meta_of(c, obj)->state = STATE_QUARANTINED;
}

/**
 * slab_debug_alloc_check - @obj is about to be handed to @caller: it must
 * still be free, poisoned and red-zoned.  If so, mark it allocated (red
 * zones active, caller recorded) and return true; otherwise report it,
 * quarantine it and return false.
 */
bool slab_debug_alloc_check(struct kmem_cache *c, void *obj,
			    unsigned long caller)
{
	struct slab_meta *m = meta_of(c, obj);
	const u8 *last = (const u8 *)obj + c->object_size - 1;
	const u8 *bad;
	char why[128];

	if (m->state != STATE_FREE) {
		snprintf(why, sizeof(why),
			 "an object on the free list is not marked free (state 0x%lx)",
			 m->state);
		slab_report(SLAB_BUG_CORRUPT, c, obj, caller, why);
	} else if ((bad = poison_damage(c, obj)) != NULL) {
		snprintf(why, sizeof(why),
			 "byte %ld of the object was written after it was freed (0x%02x, not 0x%02x)",
			 (long)(bad - (const u8 *)obj), *bad,
			 bad == last ? POISON_END : POISON_FREE);
		slab_report(SLAB_BUG_USE_AFTER_FREE, c, obj, caller, why);
	} else if ((bad = red_zone_damage(c, obj, RED_INACTIVE)) != NULL) {
		snprintf(why, sizeof(why),
			 "red zone byte at object offset %ld was written while the object was free",
			 (long)(bad - (const u8 *)obj));
		slab_report(SLAB_BUG_OUT_OF_BOUNDS, c, obj, caller, why);
	} else {
		fill_red_zones(c, obj, RED_ACTIVE);
		m->state = STATE_ALLOCATED;
		m->alloc_caller = caller;
		return true;
	}
	quarantine(c, obj);
	return false;
}

/**
 * slab_debug_free_check - @caller frees @obj (a valid object position):
 * decide whether it may go back on the free list.  An object freed twice
 * is reported and the free ignored (REJECT); damaged red zones or meta
 * mean an out-of-bounds write: reported, quarantined (QUARANTINE).  An
 * object that passes is poisoned and marked free (OK).
 */
enum slab_verdict slab_debug_free_check(struct kmem_cache *c, void *obj,
					unsigned long caller)
{
	struct slab_meta *m = meta_of(c, obj);
	const u8 *bad;
	char why[128];
	long off;

	if (m->state == STATE_FREE || m->state == STATE_QUARANTINED) {
		slab_report(SLAB_BUG_DOUBLE_FREE, c, obj, caller,
			    m->state == STATE_FREE ?
			    "the object is already free; this free is ignored" :
			    "the object was freed before and is quarantined; this free is ignored");
		return SLAB_FREE_REJECT;
	}
	if (m->state != STATE_ALLOCATED) {
		snprintf(why, sizeof(why),
			 "the object's record after its red zone is overwritten (state 0x%lx); quarantined",
			 m->state);
		slab_report(SLAB_BUG_OUT_OF_BOUNDS, c, obj, caller, why);
	} else if ((bad = red_zone_damage(c, obj, RED_ACTIVE)) != NULL) {
		off = (long)(bad - (const u8 *)obj);
		snprintf(why, sizeof(why),
			 "red zone byte at object offset %ld (object size %zu) overwritten: %s; quarantined",
			 off, c->object_size,
			 off < 0 ? "a write before the object" : "a write past its end");
		slab_report(SLAB_BUG_OUT_OF_BOUNDS, c, obj, caller, why);
	} else {
		m->state = STATE_FREE;
		m->free_caller = caller;
		poison(c, obj);
		fill_red_zones(c, obj, RED_INACTIVE);
		return SLAB_FREE_OK;
	}
	m->free_caller = caller;
	quarantine(c, obj);
	return SLAB_FREE_QUARANTINE;
}

/**
 * slab_debug_validate - check every free object of @slab (an empty slab
 * about to be released): poison and red zones intact.  Reports each
 * damaged object; returns how many there were (the caller then keeps the
 * slab).
 */
unsigned int slab_debug_validate(struct kmem_cache *c, struct page *slab,
				 unsigned long caller)
{
	unsigned int i, bad = 0;

	for (i = 0; i < c->objects; i++) {
		void *obj = slab_obj_at(c, slab, i);
		struct slab_meta *m = meta_of(c, obj);

		if (m->state != STATE_FREE)
			continue;
		if (poison_damage(c, obj)) {
			slab_report(SLAB_BUG_USE_AFTER_FREE, c, obj, caller,
				    "a freed object was written (found when its cache was destroyed)");
			bad++;
		} else if (red_zone_damage(c, obj, RED_INACTIVE)) {
			slab_report(SLAB_BUG_OUT_OF_BOUNDS, c, obj, caller,
				    "a free object's red zone was written (found when its cache was destroyed)");
			bad++;
		}
	}
	return bad;
}

/* "allocated by" and "freed by" lines, when @obj's record can be trusted. */
static void print_owners(const struct kmem_cache *c, const void *obj)
{
	const struct page *slab = virt_to_slab(obj);
	const struct slab_meta *m;
	char who[96];

	if (!c || !c->debug || !slab || slab->slab_cache != c ||
	    !slab_obj_valid(c, slab, obj))
		return;
	m = meta_of(c, obj);
	if (m->alloc_caller) {
		mm_sprint_caller(who, sizeof(who), m->alloc_caller);
		pr_err("  last allocated by: %s\n", who);
	}
	if (m->free_caller) {
		mm_sprint_caller(who, sizeof(who), m->free_caller);
		pr_err("  last freed by: %s\n", who);
	}
}

/**
 * slab_report - print one bug report and count it:
 *
 *	BUG: slab-debug: <kind> in cache <name>: object <address>
 *	  <detail>
 *	  caller: <function>+0x<offset>/0x<size>
 *	  last allocated by: ...      (debug caches)
 *	  last freed by: ...
 *	Call Trace: ...
 *
 * @c may be NULL ("in cache (none)") for a pointer no cache owns.  Takes
 * no lock; the kernel continues afterwards.
 */
void slab_report(enum slab_bug kind, const struct kmem_cache *c,
		 const void *obj, unsigned long caller, const char *detail)
{
	char who[96];

	slab_bug_count[kind]++;
	mm_sprint_caller(who, sizeof(who), caller);
	pr_err("BUG: slab-debug: %s in cache %s: object %p\n", bug_names[kind],
	       c ? c->name : "(none)", obj);
	pr_err("  %s\n", detail);
	pr_err("  caller: %s\n", who);
	print_owners(c, obj);
	mm_dump_stack();
}
