/*
 * auxv-pie — the same checks as auxv (auxv_check.h) on a static PIE: an
 * ET_DYN executable without an interpreter, which the kernel loads at a
 * bias and which relocates itself (musl's rcrt1.o).  user/build.mk links
 * every *-pie.c program that way.
 */
#include "auxv_check.h"
