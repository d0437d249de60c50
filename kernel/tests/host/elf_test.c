/*
 * kernel/tests/host/elf_test.c — the ELF-64 checker on real executables
 * and on damaged copies of them.
 *
 * What: kernel/lib/elf.c (elf_parse), compiled for the host as in the
 * kernel (host.mk), reads
 *   - hello-static and hello-pie, two musl programs host.mk builds from
 *     elf_fixture.c with Debian's musl-gcc (-static, and a static PIE:
 *     ET_DYN without PT_INTERP), and Debian's busybox when installed —
 *     the same kinds of binaries the kernel loads;
 *   - a dynamically linked host program (/bin/true: ET_DYN with PT_INTERP);
 * and the answers are compared with what `readelf` would say, computed
 * here from the headers directly.  Then every check of elf_parse is hit
 * on purpose: each damaged copy (bad magic, class, machine, type,
 * e_phentsize, a program header table past the end, a segment past the
 * end, p_filesz > p_memsz, unsorted or overlapping PT_LOADs, a segment
 * beyond user space, vaddr/offset not congruent, two PT_INTERP, no
 * PT_LOAD) must be refused with -ENOEXEC, and truncating a good file at
 * every length up to its headers' end must never read outside the buffer
 * (the sanitizers would stop the test) nor be accepted.
 */
#include <check.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <kestrel/elf.h>

#define USER_END	0x00007ffffffff000ULL

struct image {
	unsigned char *data;
	size_t size;
};

/* Read a whole file into a malloc'd (hence 16-byte aligned) buffer. */
static bool load(const char *path, struct image *img)
{
	FILE *f = fopen(path, "rb");
	long n;

	if (!f)
		return false;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	img->data = malloc(n > 0 ? n : 1);
	img->size = fread(img->data, 1, n, f);
	fclose(f);
	return img->size == (size_t)n;
}

static struct image must_load(const char *path)
{
	struct image img;

	ck_assert_msg(load(path, &img), "cannot read %s", path);
	return img;
}

static struct elf64_phdr *first_of(struct image *img, uint32_t type)
{
	struct elf64_hdr *eh = (struct elf64_hdr *)img->data;
	struct elf64_phdr *ph = (struct elf64_phdr *)(img->data + eh->e_phoff);

	for (int i = 0; i < eh->e_phnum; i++)
		if (ph[i].p_type == type)
			return &ph[i];
	return NULL;
}

static struct elf64_phdr *nth_load(struct image *img, int n)
{
	struct elf64_hdr *eh = (struct elf64_hdr *)img->data;
	struct elf64_phdr *ph = (struct elf64_phdr *)(img->data + eh->e_phoff);

	for (int i = 0; i < eh->e_phnum; i++)
		if (ph[i].p_type == PT_LOAD && n-- == 0)
			return &ph[i];
	return NULL;
}

/* What elf_parse must find, computed independently. */
static void check_consistent(struct image *img, const struct elf_info *info)
{
	const struct elf64_hdr *eh = (const struct elf64_hdr *)img->data;
	const struct elf64_phdr *ph = (const struct elf64_phdr *)(img->data + eh->e_phoff);
	uint64_t lo = ~0ULL, hi = 0;
	unsigned int loads = 0;

	for (int i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type != PT_LOAD)
			continue;
		loads++;
		if ((ph[i].p_vaddr & ~0xfffULL) < lo)
			lo = ph[i].p_vaddr & ~0xfffULL;
		if (ph[i].p_vaddr + ph[i].p_memsz > hi)
			hi = ph[i].p_vaddr + ph[i].p_memsz;
	}
	ck_assert_uint_eq(info->nr_load, loads);
	ck_assert_uint_eq(info->load_lo, lo);
	ck_assert_uint_eq(info->load_hi, (hi + 0xfff) & ~0xfffULL);
	ck_assert_uint_eq(info->entry, eh->e_entry);
	ck_assert_uint_eq(info->phnum, eh->e_phnum);
	ck_assert_ptr_eq(info->phdr, ph);
}

static void expect_ok(struct image *img, struct elf_info *info)
{
	int err = elf_parse(img->data, img->size, USER_END, info);

	ck_assert_int_eq(err, 0);
	check_consistent(img, info);
}

START_TEST(test_static_exec)
{
	struct image img = must_load(FIXTURE_DIR "/hello-static");
	struct elf_info info;

	expect_ok(&img, &info);
	ck_assert(!info.is_dyn);
	ck_assert_ptr_null(info.interp);
	ck_assert(!info.exec_stack);
	/* musl's static programs link at 0x400000; the headers are in the
	 * first PT_LOAD, at file offset 64. */
	ck_assert_uint_eq(info.load_lo, 0x400000);
	ck_assert_uint_eq(info.phdr_vaddr, 0x400000 + 64);
	free(img.data);
}
END_TEST

START_TEST(test_static_pie)
{
	struct image img = must_load(FIXTURE_DIR "/hello-pie");
	struct elf_info info;

	expect_ok(&img, &info);
	ck_assert(info.is_dyn);
	ck_assert_ptr_null(info.interp);
	ck_assert_uint_eq(info.load_lo, 0);
	ck_assert_uint_ne(info.phdr_vaddr, 0);
	free(img.data);
}
END_TEST

START_TEST(test_dynamic_host_program)
{
	struct image img;
	struct elf_info info;

	if (!load("/bin/true", &img))
		return;		/* not on this host: nothing to compare */
	expect_ok(&img, &info);
	ck_assert_ptr_nonnull(info.interp);
	ck_assert(info.is_dyn);
	free(img.data);
}
END_TEST

START_TEST(test_busybox)
{
	struct image img;
	struct elf_info info;

	if (!load("/bin/busybox", &img))
		return;		/* busybox-static not installed */
	expect_ok(&img, &info);
	ck_assert_ptr_nonnull(info.tls);	/* glibc's static busybox has TLS */
	free(img.data);
}
END_TEST

/* Damage a fresh copy of hello-static with @fn; it must be refused. */
static void expect_refused(void (*fn)(struct image *img), const char *what)
{
	struct image img = must_load(FIXTURE_DIR "/hello-static");
	struct elf_info info;
	int err;

	fn(&img);
	err = elf_parse(img.data, img.size, USER_END, &info);
	ck_assert_msg(err == -ENOEXEC, "%s: elf_parse returned %d, want -ENOEXEC",
		      what, err);
	free(img.data);
}

#define EH(img) ((struct elf64_hdr *)(img)->data)

static void bad_magic(struct image *img) { img->data[1] = 'e'; }
static void bad_class(struct image *img) { img->data[EI_CLASS] = 1; }
static void bad_data(struct image *img) { img->data[EI_DATA] = 2; }
static void bad_machine(struct image *img) { EH(img)->e_machine = 3; }
static void bad_type(struct image *img) { EH(img)->e_type = ET_REL; }
static void bad_phentsize(struct image *img) { EH(img)->e_phentsize = 32; }
static void no_phdrs(struct image *img) { EH(img)->e_phnum = 0; }
static void phdrs_past_end(struct image *img) { EH(img)->e_phoff = img->size - 8; }
static void phoff_huge(struct image *img) { EH(img)->e_phoff = ~0ULL - 8; }
static void seg_past_end(struct image *img) { nth_load(img, 1)->p_filesz = img->size; }
static void offset_huge(struct image *img) { nth_load(img, 1)->p_offset = ~0ULL - 4095; }
static void filesz_gt_memsz(struct image *img)
{
	struct elf64_phdr *ph = nth_load(img, 3);

	ph->p_filesz = ph->p_memsz + 1;
}
static void beyond_user(struct image *img) { nth_load(img, 1)->p_vaddr = USER_END; }
static void wraps(struct image *img) { nth_load(img, 3)->p_memsz = ~0ULL - 0x1000; }
static void not_congruent(struct image *img) { nth_load(img, 1)->p_vaddr += 0x10; }
static void unsorted(struct image *img)
{
	struct elf64_phdr tmp = *nth_load(img, 0);

	*nth_load(img, 0) = *nth_load(img, 1);
	*nth_load(img, 1) = tmp;
}
static void overlapping(struct image *img)
{
	nth_load(img, 0)->p_memsz = nth_load(img, 1)->p_vaddr -
				    nth_load(img, 0)->p_vaddr + 1;
}
static void two_interps(struct image *img)
{
	first_of(img, PT_GNU_STACK)->p_type = PT_INTERP;
	first_of(img, PT_GNU_RELRO)->p_type = PT_INTERP;
}
static void no_loads(struct image *img)
{
	struct elf64_phdr *ph;

	while ((ph = first_of(img, PT_LOAD)) != NULL)
		ph->p_type = PT_NOTE;
}

START_TEST(test_damaged)
{
	static const struct {
		void (*fn)(struct image *img);
		const char *what;
	} cases[] = {
		{ bad_magic, "bad magic" }, { bad_class, "ELFCLASS32" },
		{ bad_data, "big-endian" }, { bad_machine, "EM_386" },
		{ bad_type, "ET_REL" }, { bad_phentsize, "e_phentsize 32" },
		{ no_phdrs, "e_phnum 0" }, { phdrs_past_end, "phdrs past the end" },
		{ phoff_huge, "e_phoff near 2^64" }, { seg_past_end, "segment past the end" },
		{ offset_huge, "p_offset near 2^64" }, { filesz_gt_memsz, "p_filesz > p_memsz" },
		{ beyond_user, "segment above user space" }, { wraps, "p_memsz wraps" },
		{ not_congruent, "p_vaddr !≡ p_offset" }, { unsorted, "unsorted PT_LOADs" },
		{ overlapping, "overlapping PT_LOADs" }, { two_interps, "two PT_INTERP" },
		{ no_loads, "no PT_LOAD" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		expect_refused(cases[i].fn, cases[i].what);
}
END_TEST

START_TEST(test_truncated)
{
	struct image img = must_load(FIXTURE_DIR "/hello-static");
	struct elf64_hdr *eh = EH(&img);
	size_t need = eh->e_phoff + (size_t)eh->e_phnum * sizeof(struct elf64_phdr);
	struct elf_info info;

	/* Each prefix lives in its own exact-size buffer, so that a read
	 * past its end is caught by the address sanitizer's neighbour, or at
	 * least by the checks below. */
	for (size_t n = 0; n < need; n++) {
		unsigned char *copy = malloc(n ? n : 1);

		memcpy(copy, img.data, n);
		ck_assert_int_eq(elf_parse(copy, n, USER_END, &info), -ENOEXEC);
		free(copy);
	}
	free(img.data);
}
END_TEST

static Suite *elf_suite(void)
{
	Suite *s = suite_create("elf");
	TCase *real = tcase_create("real binaries");
	TCase *bad = tcase_create("damaged");

	tcase_add_test(real, test_static_exec);
	tcase_add_test(real, test_static_pie);
	tcase_add_test(real, test_dynamic_host_program);
	tcase_add_test(real, test_busybox);
	tcase_add_test(bad, test_damaged);
	tcase_add_test(bad, test_truncated);
	tcase_set_timeout(bad, 60);
	suite_add_tcase(s, real);
	suite_add_tcase(s, bad);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(elf_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
