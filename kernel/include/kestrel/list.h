/*
 * kestrel/list.h — circular doubly linked lists with a sentinel head.
 *
 * The node is embedded in the structure it links (struct list_head lru in
 * struct page, for example) and list_entry() recovers the structure, so a
 * list never allocates.  An empty list's head points to itself.  No
 * locking of its own: the owner of the list says which lock protects it.
 */
#ifndef KESTREL_LIST_H
#define KESTREL_LIST_H

#include <kestrel/compiler.h>
#include <kestrel/types.h>

struct list_head {
	struct list_head *next, *prev;
};

#define LIST_HEAD_INIT(name)	{ &(name), &(name) }

/** list_init - make @head an empty list. */
static inline void list_init(struct list_head *head)
{
	head->next = head;
	head->prev = head;
}

static inline void __list_insert(struct list_head *n, struct list_head *prev,
				 struct list_head *next)
{
	next->prev = n;
	n->next = next;
	n->prev = prev;
	prev->next = n;
}

/** list_add - insert @n right after @head (stack order). */
static inline void list_add(struct list_head *n, struct list_head *head)
{
	__list_insert(n, head, head->next);
}

/** list_add_tail - insert @n right before @head (queue order). */
static inline void list_add_tail(struct list_head *n, struct list_head *head)
{
	__list_insert(n, head->prev, head);
}

/** list_del - unlink @n and leave it pointing to itself. */
static inline void list_del(struct list_head *n)
{
	n->prev->next = n->next;
	n->next->prev = n->prev;
	list_init(n);
}

/** list_move - unlink @n and insert it right after @head. */
static inline void list_move(struct list_head *n, struct list_head *head)
{
	list_del(n);
	list_add(n, head);
}

/** list_empty - true when @head has no entries. */
static inline bool list_empty(const struct list_head *head)
{
	return head->next == head;
}

#define list_entry(ptr, type, member)	container_of(ptr, type, member)
#define list_first_entry(head, type, member) \
	list_entry((head)->next, type, member)

#define list_for_each_entry(pos, head, member)					\
	for (pos = list_entry((head)->next, __typeof__(*pos), member);		\
	     &pos->member != (head);						\
	     pos = list_entry(pos->member.next, __typeof__(*pos), member))

#define list_for_each_entry_safe(pos, n, head, member)				\
	for (pos = list_entry((head)->next, __typeof__(*pos), member),		\
	     n = list_entry(pos->member.next, __typeof__(*pos), member);	\
	     &pos->member != (head);						\
	     pos = n, n = list_entry(n->member.next, __typeof__(*n), member))

#endif
