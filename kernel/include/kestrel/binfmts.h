/*
 * kestrel/binfmts.h — running a program: execve (kernel/task/exec.c) and
 * the executable formats it knows (binfmt_elf.c, and #! scripts).
 *
 * execve gathers what it needs into a struct linux_binprm — the file's
 * bytes, copies of argv and envp, the new address space while it is being
 * built — so that nothing of the old program is touched until the new
 * one is ready.  Then comes the point of no return: the other threads are
 * killed, the old address space is dropped, the new one installed, and
 * the initial stack is written.  Every error before that point returns
 * to the old program as -errno (ENOENT, ENOEXEC, E2BIG, EFAULT, ENOMEM,
 * ELOOP…); after it, an error can only kill the process.
 *
 * Until lab 8 brings a file system, programs are files of the initrd, an
 * in-memory cpio archive (kernel/fs/initrd.c): a program's bytes never
 * need reading, and the loader copies its segments straight from them.
 */
#ifndef KESTREL_BINFMTS_H
#define KESTREL_BINFMTS_H

#include <kestrel/compiler.h>
#include <kestrel/elf.h>
#include <kestrel/types.h>

struct mm;

#define BINPRM_MAX_RECURSION	4	/* #! scripts running #! scripts (ELOOP) */
#define MAX_ARG_STRLEN		(32 * 4096)	/* bytes of one argument, with its NUL */
#define MAX_ARG_STRINGS		0x7fffffff
#define BINPRM_BUF_SIZE		256	/* bytes of a #! line considered */
#define EXEC_STACK_INITIAL	(128UL << 10)	/* bytes of stack VMA at start */
#define EXEC_STACK_POPULATED	(64UL << 10)	/* of which present at start */

/**
 * struct linux_binprm - an execve in progress
 * @filename: the path execve was given (AT_EXECFN points to a copy)
 * @path: the file being loaded (the interpreter, for a #! script)
 * @data, @size: its contents (in the initrd; or, from lab 8 on, read
 *              from @file into a vmalloc'd copy)
 * @strings: argv's strings then envp's, each with its NUL
 * @strings_len: bytes used in @strings; @strings_size: allocated
 * @argc, @envc: how many of each
 * @depth: #! levels so far
 * @mm: the new address space (NULL until the loader makes it)
 * @elf: what elf_parse found
 * @load_bias: added to every ELF address (0 for ET_EXEC)
 * @entry: the first instruction, @brk: where the heap starts
 * @exec_stack: the program wants an executable stack (PT_GNU_STACK)
 * @file: the program's file in the VFS (lab 8), NULL for an initrd file
 */
struct linux_binprm {
	const char *filename;
	char path[256];
	const void *data;
	size_t size;
	char *strings;
	size_t strings_len, strings_size;
	int argc, envc;
	int depth;
	struct mm *mm;
	struct elf_info elf;
	unsigned long load_bias;
	unsigned long entry;
	unsigned long brk;
	bool exec_stack;
	struct file *file;
};

/**
 * kernel_execve - run the program at @filename with the NULL-terminated
 * argument and environment vectors @argv and @envp (kernel memory), in
 * the current task — the first process (kernel/task/init.c).  On success
 * the task's user registers (task_pt_regs) start the program; the caller
 * leaves for user mode with them.  Returns 0 or -errno.
 */
int kernel_execve(const char *filename, const char *const *argv,
		  const char *const *envp);

/**
 * load_elf_binary - the ELF loader: check @bprm's file (elf_parse), make
 * its address space with the PT_LOAD segments and the stack VMA, and
 * fill @bprm's entry, brk, bias.  Returns 0, -ENOEXEC (not for us, or
 * dynamically linked: PT_INTERP), -ENOMEM.  Nothing of the current
 * process is touched.  (binfmt_elf.c)
 */
int load_elf_binary(struct linux_binprm *bprm);

/**
 * create_elf_tables - write the initial stack of the new program, now the
 * current address space: the strings, then argc, argv, envp and the
 * auxiliary vector as the System V ABI AMD64 §3.4.1 (figure 3.9) lays
 * them out.  Returns the stack pointer for the first instruction, or
 * -EFAULT.  (binfmt_elf.c)
 */
long create_elf_tables(struct linux_binprm *bprm);

/** exec_map_stack - the stack VMA below STACK_TOP in @bprm->mm, with its
 *  top EXEC_STACK_POPULATED bytes (and room for the strings) present. */
int exec_map_stack(struct linux_binprm *bprm);

#endif
