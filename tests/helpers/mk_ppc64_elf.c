// SPDX-License-Identifier: MIT
/*
 * Test helper: write a tiny ppc64le "vmlinux" (or object, zImage-like, or
 * other-machine ELF) with libelf, laid out like a real kernel: one PT_LOAD at
 * vaddr 0xc000000000000000 / paddr 0 holding .head.text (at 0), .text (at
 * 0x100) and .data (at 0x1000), then .bss (NOBITS). Section contents are the
 * printable strings below so a test can rebuild the flat image with printf
 * and check the digest independently.
 *
 *   mk_ppc64_elf [--rel] [--zimage] [--machine N] [--data TEXT] [--big MIB] OUT
 *
 * --big adds MIB mebibytes of patterned .data (for benchmarks).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gelf.h>
#include <libelf.h>

#define HEAD "HEADHEAD"
#define TEXT "TEXT-SECTION-20BYTES"
#define KBASE 0xc000000000000000ull
#define FILE_BASE 0x1000u

struct sec {
	const char *name;
	Elf64_Word type;
	Elf64_Xword flags;
	uint64_t addr; /* offset from KBASE */
	const void *data;
	size_t size;
};

static char shstr[256];
static size_t shstr_len = 1;

static size_t add_name(const char *n)
{
	size_t off = shstr_len;

	memcpy(shstr + shstr_len, n, strlen(n) + 1);
	shstr_len += strlen(n) + 1;
	return off;
}

static int die(const char *what)
{
	fprintf(stderr, "mk_ppc64_elf: %s: %s\n", what, elf_errmsg(-1));
	return 1;
}

static int add_section(Elf *e, const struct sec *s, int rel, uint64_t *off)
{
	Elf_Scn *scn = elf_newscn(e);
	Elf_Data *d = scn ? elf_newdata(scn) : NULL;
	GElf_Shdr sh;

	if (!d || !gelf_getshdr(scn, &sh))
		return -1;
	d->d_buf = (void *)(uintptr_t)s->data;
	d->d_size = s->size;
	d->d_type = ELF_T_BYTE;
	d->d_align = 1;
	sh.sh_name = (Elf64_Word)add_name(s->name);
	sh.sh_type = s->type;
	sh.sh_flags = s->flags;
	sh.sh_addr = rel ? 0 : KBASE + s->addr;
	sh.sh_offset = s->type == SHT_NOBITS ? FILE_BASE + s->addr : *off;
	sh.sh_size = s->size;
	sh.sh_addralign = 1;
	if (s->type != SHT_NOBITS)
		*off = sh.sh_offset + s->size;
	return gelf_update_shdr(scn, &sh) ? 0 : -1;
}

int main(int argc, char **argv)
{
	int rel = 0, zimage = 0, machine = EM_PPC64, fd, i;
	size_t big = 0;
	char *bigbuf = NULL;
	const char *data = "DATA:cgs-test-kernel", *out = NULL;
	struct sec secs[5];
	size_t n = 0;
	uint64_t off = FILE_BASE, tail;
	Elf *e;
	GElf_Ehdr eh;
	GElf_Phdr ph;
	Elf_Scn *str;
	Elf_Data *sd;
	GElf_Shdr sh;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--rel"))
			rel = 1;
		else if (!strcmp(argv[i], "--zimage"))
			zimage = 1;
		else if (!strcmp(argv[i], "--machine") && i + 1 < argc)
			machine = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--data") && i + 1 < argc)
			data = argv[++i];
		else if (!strcmp(argv[i], "--big") && i + 1 < argc)
			big = (size_t)atoi(argv[++i]) << 20;
		else
			out = argv[i];
	}
	if (big) {
		bigbuf = malloc(big + 1);
		if (!bigbuf)
			return 1;
		for (size_t k = 0; k < big; k++)
			bigbuf[k] = (char)('a' + k % 23);
		bigbuf[big] = '\0';
		data = bigbuf;
	}
	if (!out || (!big && strlen(data) > 0x40)) {
		fprintf(stderr, "usage: mk_ppc64_elf [--rel] [--zimage] [--machine N] "
				"[--data TEXT] OUT\n");
		return 64;
	}
	secs[n++] = (struct sec){ ".head.text", SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR, 0,
				  HEAD, 8 };
	secs[n++] = (struct sec){ ".text", SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR, 0x100,
				  TEXT, 20 };
	secs[n++] = (struct sec){ ".data", SHT_PROGBITS, SHF_ALLOC | SHF_WRITE, 0x1000, data,
				  strlen(data) };
	secs[n++] = (struct sec){ ".bss", SHT_NOBITS, SHF_ALLOC | SHF_WRITE,
				  0x1000 + (strlen(data) + 0x3f) / 0x40 * 0x40, NULL, 0x1000 };
	if (zimage)
		secs[n++] = (struct sec){ ".kernel:vmlinux.strip", SHT_PROGBITS, SHF_ALLOC,
					  0x3000, "gz", 2 };
	if (elf_version(EV_CURRENT) == EV_NONE)
		return die("libelf");
	fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || !(e = elf_begin(fd, ELF_C_WRITE, NULL)) || !gelf_newehdr(e, ELFCLASS64))
		return die("create");
	elf_flagelf(e, ELF_C_SET, ELF_F_LAYOUT);
	if (!rel && !gelf_newphdr(e, 1))
		return die("phdr");
	/* .head.text, .text and .data sit in the file at FILE_BASE + their offset */
	tail = 0x1000 + (strlen(data) + 0xfff) / 0x1000 * 0x1000;
	for (size_t k = 0; k < n; k++) {
		if (secs[k].type != SHT_NOBITS)
			off = FILE_BASE + (zimage && k == n - 1 ? tail : secs[k].addr);
		if (add_section(e, &secs[k], rel, &off))
			return die("section");
	}
	str = elf_newscn(e);
	sd = str ? elf_newdata(str) : NULL;
	if (!sd || !gelf_getshdr(str, &sh))
		return die("shstrtab");
	sh.sh_name = (Elf64_Word)add_name(".shstrtab");
	sd->d_buf = shstr;
	sd->d_size = shstr_len;
	sd->d_type = ELF_T_BYTE;
	sd->d_align = 1;
	sh.sh_type = SHT_STRTAB;
	sh.sh_offset = FILE_BASE + tail + 0x200;
	sh.sh_size = shstr_len;
	sh.sh_addralign = 1;
	gelf_update_shdr(str, &sh);
	gelf_getehdr(e, &eh);
	eh.e_ident[EI_DATA] = ELFDATA2LSB;
	eh.e_machine = (Elf64_Half)machine;
	eh.e_type = rel ? ET_REL : ET_EXEC;
	eh.e_version = EV_CURRENT;
	eh.e_flags = 2; /* ELFv2 ABI */
	eh.e_entry = rel ? 0 : KBASE;
	eh.e_phoff = rel ? 0 : 64;
	eh.e_shoff = FILE_BASE + tail + 0x400;
	eh.e_shstrndx = (Elf64_Half)elf_ndxscn(str);
	gelf_update_ehdr(e, &eh);
	if (!rel) {
		memset(&ph, 0, sizeof(ph));
		ph.p_type = PT_LOAD;
		ph.p_flags = PF_R | PF_W | PF_X;
		ph.p_offset = FILE_BASE;
		ph.p_vaddr = KBASE;
		ph.p_paddr = 0;
		ph.p_filesz = 0x1000 + strlen(data);
		ph.p_memsz = 0x1000 + (strlen(data) + 0x3f) / 0x40 * 0x40 + 0x1000;
		ph.p_align = 0x1000;
		gelf_update_phdr(e, 0, &ph);
	}
	if (elf_update(e, ELF_C_WRITE) < 0)
		return die("write");
	elf_end(e);
	close(fd);
	free(bigbuf);
	return 0;
}
