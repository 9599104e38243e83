/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * gen-objects: cut a file into object chunk datagrams (insp_chunk.h, docs/slowpath.md) and
 * write them as Ethernet/IPv4/UDP frames into a pcap, as a high-side sender would put them
 * on an object channel; with deliberate faults (dropped, duplicated, overlapping and
 * mismatched chunks, a lying total, reverse and interleaved orders, floods) for the tests
 * of the slow path's reassembly. The frames are made by gen-traffic's builder (gt_frame.c,
 * compiled in), the chunk headers by the inspection library's writer, so the tool and the
 * guard share one definition of the format.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <pcap/pcap.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gt_frame.h"
#include "insp_chunk.h"

/*
 * The sample deployment's object channel `objects_out` (rules/sample-policy.yaml): the
 * defaults of --dst-ip and --dst-port. Keep in step with that file, as gen-traffic's
 * gt_deploy.c is. The source is a high-side sender of gen-traffic's population.
 */
#define GO_DST_IP   "239.2.3.8"
#define GO_DST_PORT 7300
#define GO_SRC_IP   "198.51.100.200"
#define GO_SRC_PORT 40000
#define GO_SRC_MAC  "02:00:00:00:0b:01"

#define GO_LABEL	   "NATO UNCLASSIFIED//REL TO NATO"
#define GO_OTHER_LABEL	   "NATO RESTRICTED//REL TO NATO" /* --mismatch, unless it is --label */
#define GO_OTHER_LABEL_2   "NATO CONFIDENTIAL//REL TO NATO"
#define GO_ORIGINATOR	   "gen-objects"
#define GO_CHUNK	   1024u
#define GO_START_S	   1790000000ll /* first frame's time unless --time or --append */
#define GO_GAP_US	   100u		/* between frames */
#define GO_FAULTS_MAX	   32u		/* each fault option may be given this many times */
#define GO_UDP_PAYLOAD_MAX 65507u
#define GO_FRAME_MAX	   (14u + 20u + 8u + GO_UDP_PAYLOAD_MAX)

struct fault_list {
	uint32_t k[GO_FAULTS_MAX];
	unsigned n;
};

struct options {
	const char *out, *file, *file2;
	bool append, reverse;
	int type, type2;
	const char *label, *originator;
	bool label_4774; /* --label-4774: label is the XML of a STANAG 4774 label */
	bool v2;	 /* --v2: the version 2 header even for a short marking */
	uint64_t id;
	uint32_t chunk;
	uint8_t dst_ip[4], src_ip[4], dst_mac[6], src_mac[6];
	bool dst_mac_set;
	uint16_t dst_port, src_port;
	struct fault_list drop, dup, overlap, mismatch;
	bool total_lie_set;
	uint32_t total_lie;
	uint32_t repeat;
	long long time_s; /* -1: default */
	uint32_t gap_us;
};

/* One object to send: the file's bytes and its header fields. */
struct object {
	const char *path;
	uint8_t *bytes;
	uint32_t len;
	uint64_t id;
	uint8_t type;
	uint32_t count;
	bool faults; /* the fault options apply to it */
};

struct writer {
	pcap_t *pcap;
	pcap_dumper_t *dumper;
	int64_t ts_us;
	uint16_t ip_id;
	uint64_t frames, bytes;
	bool created; /* the pcap is this run's (not --append): remove it on failure */
	uint8_t frame[GO_FRAME_MAX];
	uint8_t dgram[GO_UDP_PAYLOAD_MAX];
};

static void
usage(FILE *f)
{
	fprintf(f,
		"usage: gen-objects --out FILE.pcap --file F [options]\n"
		"  --out PCAP            pcap to write (Ethernet, microsecond timestamps)\n"
		"  --append              add to PCAP (created if missing) instead of replacing it\n"
		"  --file F              the object's bytes\n"
		"  --type T              pdf | jpeg | png | text (declared type; default: from "
		"the\n"
		"                        file name's extension)\n"
		"  --label S             the label, a marking string (default \"%s\")\n"
		"  --label-4774 FILE     the label is the STANAG 4774 label XML in FILE (lines\n"
		"                        joined: a line break and the indentation after it go;\n"
		"                        sent in version 2 headers with the type's 4774 bit)\n"
		"  --v2                  version 2 headers (16-bit label length) for a marking "
		"too\n"
		"  --originator NAME     [A-Za-z0-9._@-], at most 64 (default %s; \"\" for none)\n"
		"  --id N                object id, non-zero, decimal or 0x hex (default 1)\n"
		"  --chunk BYTES         data bytes per chunk (default %u)\n"
		"  --dst-ip A --dst-port P   default %s:%u (the sample deployment's objects_out)\n"
		"  --src-ip A --src-port P   default %s:%u\n"
		"  --dst-mac M           default: the multicast MAC of --dst-ip, else "
		"ff:ff:ff:ff:ff:ff\n"
		"  --src-mac M           default %s\n"
		"  --time SECONDS        time of the first frame (default %lld; with --append: "
		"after "
		"the\n"
		"                        last frame already in PCAP)\n"
		"  --gap-us N            microseconds between frames (default %u)\n"
		"faults (K is a chunk index; the fault options may be repeated):\n"
		"  --drop-chunk K        do not send chunk K\n"
		"  --dup-chunk K         send chunk K twice in a row\n"
		"  --overlap K           chunk K's offset moved back by 16 bytes\n"
		"  --mismatch K          chunk K carries another label (" GO_OTHER_LABEL ")\n"
		"  --total-lie N         every chunk's total length field says N\n"
		"  --reverse             send the chunks last to first\n"
		"  --interleave-with F2  a second object (id + 1, same label and originator) "
		"whose\n"
		"                        chunks alternate with the first's (faults: first only)\n"
		"  --type2 T             its declared type (default: F2's extension, else --type)\n"
		"  --repeat N            the file N times as objects id .. id+N-1, one after "
		"another\n",
		GO_LABEL, GO_ORIGINATOR, GO_CHUNK, GO_DST_IP, GO_DST_PORT, GO_SRC_IP, GO_SRC_PORT,
		GO_SRC_MAC, GO_START_S, GO_GAP_US);
}

static int
type_from_name(const char *s)
{
	static const struct {
		const char *name;
		int type;
	} names[] = {
		{"pdf", INSP_OBJ_PDF}, {"jpeg", INSP_OBJ_JPEG}, {"jpg", INSP_OBJ_JPEG},
		{"png", INSP_OBJ_PNG}, {"text", INSP_OBJ_TEXT}, {"txt", INSP_OBJ_TEXT},
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcasecmp(s, names[i].name) == 0)
			return names[i].type;
	return -1;
}

static int
type_from_path(const char *path)
{
	const char *dot = strrchr(path, '.');

	return dot != NULL && strchr(dot, '/') == NULL ? type_from_name(dot + 1) : -1;
}

static int
parse_u64(const char *s, uint64_t max, uint64_t *v)
{
	char *end;
	unsigned long long x;

	errno = 0;
	if (*s == '-' || *s == '\0')
		return -1;
	x = strtoull(s, &end, 0);
	if (errno != 0 || *end != '\0' || x > max)
		return -1;
	*v = x;
	return 0;
}

static int
parse_ip4(const char *s, uint8_t ip[4])
{
	unsigned a[4];
	char tail;

	if (sscanf(s, "%u.%u.%u.%u%c", &a[0], &a[1], &a[2], &a[3], &tail) != 4)
		return -1;
	for (int i = 0; i < 4; i++) {
		if (a[i] > 255)
			return -1;
		ip[i] = (uint8_t)a[i];
	}
	return 0;
}

static int
parse_mac(const char *s, uint8_t mac[6])
{
	unsigned a[6];
	char tail;

	if (sscanf(s, "%x:%x:%x:%x:%x:%x%c", &a[0], &a[1], &a[2], &a[3], &a[4], &a[5], &tail) != 6)
		return -1;
	for (int i = 0; i < 6; i++) {
		if (a[i] > 255)
			return -1;
		mac[i] = (uint8_t)a[i];
	}
	return 0;
}

static bool
has_fault(const struct fault_list *f, uint32_t k)
{
	for (unsigned i = 0; i < f->n; i++)
		if (f->k[i] == k)
			return true;
	return false;
}

enum {
	OPT_OUT = 256,
	OPT_APPEND,
	OPT_FILE,
	OPT_TYPE,
	OPT_TYPE2,
	OPT_LABEL,
	OPT_LABEL_4774,
	OPT_V2,
	OPT_ORIGINATOR,
	OPT_ID,
	OPT_CHUNK,
	OPT_DST_IP,
	OPT_DST_PORT,
	OPT_SRC_IP,
	OPT_SRC_PORT,
	OPT_DST_MAC,
	OPT_SRC_MAC,
	OPT_TIME,
	OPT_GAP_US,
	OPT_DROP,
	OPT_DUP,
	OPT_OVERLAP,
	OPT_MISMATCH,
	OPT_TOTAL_LIE,
	OPT_REVERSE,
	OPT_INTERLEAVE,
	OPT_REPEAT,
	OPT_HELP,
};

static int
bad(const char *opt, const char *arg)
{
	fprintf(stderr, "gen-objects: %s: invalid value '%s'\n", opt, arg);
	return -1;
}

static int
add_fault(struct fault_list *f, const char *opt, const char *arg)
{
	uint64_t v;

	if (parse_u64(arg, UINT32_MAX, &v) < 0)
		return bad(opt, arg);
	if (f->n == GO_FAULTS_MAX) {
		fprintf(stderr, "gen-objects: %s given more than %u times\n", opt, GO_FAULTS_MAX);
		return -1;
	}
	f->k[f->n++] = (uint32_t)v;
	return 0;
}

/*
 * The 4774 label XML of @p path on one line: each line break (CR, LF) and the spaces and
 * tabs after it are removed, and where neither side of the break is markup ('>' before,
 * '<' after) one space stands for it. NULL (said why) if unreadable, empty or too long.
 */
static char *
read_label_4774(const char *path)
{
	static char label[INSP_CHUNK_LABEL_MAX + 1];
	FILE *f = fopen(path, "rb");
	size_t n = 0;
	int ch, brk = 0;

	if (f == NULL) {
		fprintf(stderr, "gen-objects: --label-4774 %s: %s\n", path, strerror(errno));
		return NULL;
	}
	while ((ch = getc(f)) != EOF) {
		if (ch == '\r' || ch == '\n') {
			brk = 1;
			continue;
		}
		if (brk && (ch == ' ' || ch == '\t'))
			continue;
		if (brk && n > 0 && label[n - 1] != '>' && ch != '<' && n < INSP_CHUNK_LABEL_MAX)
			label[n++] = ' ';
		brk = 0;
		if (n == INSP_CHUNK_LABEL_MAX) {
			n = INSP_CHUNK_LABEL_MAX + 1;
			break;
		}
		label[n++] = (char)ch;
	}
	fclose(f);
	if (n == 0 || n > INSP_CHUNK_LABEL_MAX) {
		fprintf(stderr, "gen-objects: --label-4774 %s: %s\n", path,
			n == 0 ? "empty" : "above 4096 bytes on one line");
		return NULL;
	}
	label[n] = '\0';
	return label;
}

static int
parse_options(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{"out", required_argument, NULL, OPT_OUT},
		{"append", no_argument, NULL, OPT_APPEND},
		{"file", required_argument, NULL, OPT_FILE},
		{"type", required_argument, NULL, OPT_TYPE},
		{"type2", required_argument, NULL, OPT_TYPE2},
		{"label", required_argument, NULL, OPT_LABEL},
		{"label-4774", required_argument, NULL, OPT_LABEL_4774},
		{"v2", no_argument, NULL, OPT_V2},
		{"originator", required_argument, NULL, OPT_ORIGINATOR},
		{"id", required_argument, NULL, OPT_ID},
		{"chunk", required_argument, NULL, OPT_CHUNK},
		{"dst-ip", required_argument, NULL, OPT_DST_IP},
		{"dst-port", required_argument, NULL, OPT_DST_PORT},
		{"src-ip", required_argument, NULL, OPT_SRC_IP},
		{"src-port", required_argument, NULL, OPT_SRC_PORT},
		{"dst-mac", required_argument, NULL, OPT_DST_MAC},
		{"src-mac", required_argument, NULL, OPT_SRC_MAC},
		{"time", required_argument, NULL, OPT_TIME},
		{"gap-us", required_argument, NULL, OPT_GAP_US},
		{"drop-chunk", required_argument, NULL, OPT_DROP},
		{"dup-chunk", required_argument, NULL, OPT_DUP},
		{"overlap", required_argument, NULL, OPT_OVERLAP},
		{"mismatch", required_argument, NULL, OPT_MISMATCH},
		{"total-lie", required_argument, NULL, OPT_TOTAL_LIE},
		{"reverse", no_argument, NULL, OPT_REVERSE},
		{"interleave-with", required_argument, NULL, OPT_INTERLEAVE},
		{"repeat", required_argument, NULL, OPT_REPEAT},
		{"help", no_argument, NULL, OPT_HELP},
		{NULL, 0, NULL, 0},
	};
	int c;
	uint64_t v;

	memset(o, 0, sizeof(*o));
	o->type = o->type2 = -1;
	o->label = GO_LABEL;
	o->originator = GO_ORIGINATOR;
	o->id = 1;
	o->chunk = GO_CHUNK;
	parse_ip4(GO_DST_IP, o->dst_ip);
	parse_ip4(GO_SRC_IP, o->src_ip);
	parse_mac(GO_SRC_MAC, o->src_mac);
	o->dst_port = GO_DST_PORT;
	o->src_port = GO_SRC_PORT;
	o->repeat = 1;
	o->time_s = -1;
	o->gap_us = GO_GAP_US;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_OUT:
			o->out = optarg;
			break;
		case OPT_APPEND:
			o->append = true;
			break;
		case OPT_FILE:
			o->file = optarg;
			break;
		case OPT_TYPE:
		case OPT_TYPE2:
			if (type_from_name(optarg) < 0)
				return bad(c == OPT_TYPE ? "--type" : "--type2", optarg);
			*(c == OPT_TYPE ? &o->type : &o->type2) = type_from_name(optarg);
			break;
		case OPT_LABEL:
			o->label = optarg;
			o->label_4774 = false;
			break;
		case OPT_LABEL_4774:
			o->label = read_label_4774(optarg);
			if (o->label == NULL)
				return -1;
			o->label_4774 = true;
			break;
		case OPT_V2:
			o->v2 = true;
			break;
		case OPT_ORIGINATOR:
			o->originator = optarg;
			break;
		case OPT_ID:
			if (parse_u64(optarg, UINT64_MAX, &v) < 0 || v == 0)
				return bad("--id", optarg);
			o->id = v;
			break;
		case OPT_CHUNK:
			if (parse_u64(optarg, GO_UDP_PAYLOAD_MAX, &v) < 0 || v == 0)
				return bad("--chunk", optarg);
			o->chunk = (uint32_t)v;
			break;
		case OPT_DST_IP:
		case OPT_SRC_IP:
			if (parse_ip4(optarg, c == OPT_DST_IP ? o->dst_ip : o->src_ip) < 0)
				return bad(c == OPT_DST_IP ? "--dst-ip" : "--src-ip", optarg);
			break;
		case OPT_DST_PORT:
		case OPT_SRC_PORT:
			if (parse_u64(optarg, 65535, &v) < 0 || v == 0)
				return bad(c == OPT_DST_PORT ? "--dst-port" : "--src-port", optarg);
			*(c == OPT_DST_PORT ? &o->dst_port : &o->src_port) = (uint16_t)v;
			break;
		case OPT_DST_MAC:
			if (parse_mac(optarg, o->dst_mac) < 0)
				return bad("--dst-mac", optarg);
			o->dst_mac_set = true;
			break;
		case OPT_SRC_MAC:
			if (parse_mac(optarg, o->src_mac) < 0)
				return bad("--src-mac", optarg);
			break;
		case OPT_TIME:
			if (parse_u64(optarg, (uint64_t)1 << 40, &v) < 0)
				return bad("--time", optarg);
			o->time_s = (long long)v;
			break;
		case OPT_GAP_US:
			if (parse_u64(optarg, 60000000, &v) < 0)
				return bad("--gap-us", optarg);
			o->gap_us = (uint32_t)v;
			break;
		case OPT_DROP:
			if (add_fault(&o->drop, "--drop-chunk", optarg) < 0)
				return -1;
			break;
		case OPT_DUP:
			if (add_fault(&o->dup, "--dup-chunk", optarg) < 0)
				return -1;
			break;
		case OPT_OVERLAP:
			if (add_fault(&o->overlap, "--overlap", optarg) < 0)
				return -1;
			break;
		case OPT_MISMATCH:
			if (add_fault(&o->mismatch, "--mismatch", optarg) < 0)
				return -1;
			break;
		case OPT_TOTAL_LIE:
			if (parse_u64(optarg, UINT32_MAX, &v) < 0)
				return bad("--total-lie", optarg);
			o->total_lie = (uint32_t)v;
			o->total_lie_set = true;
			break;
		case OPT_REVERSE:
			o->reverse = true;
			break;
		case OPT_INTERLEAVE:
			o->file2 = optarg;
			break;
		case OPT_REPEAT:
			if (parse_u64(optarg, 1000000, &v) < 0 || v == 0)
				return bad("--repeat", optarg);
			o->repeat = (uint32_t)v;
			break;
		case OPT_HELP:
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			return -1;
		}
	}
	if (optind != argc || o->out == NULL || o->file == NULL) {
		usage(stderr);
		return -1;
	}
	if (o->file2 != NULL && o->repeat > 1) {
		fprintf(stderr, "gen-objects: --interleave-with and --repeat do not combine\n");
		return -1;
	}
	if (o->repeat > 1 && o->id > UINT64_MAX - (o->repeat - 1)) {
		fprintf(stderr, "gen-objects: --id + --repeat passes 2^64\n");
		return -1;
	}
	if (o->file2 != NULL && o->id == UINT64_MAX) {
		fprintf(stderr, "gen-objects: --interleave-with needs --id below 2^64-1\n");
		return -1;
	}
	if (!o->dst_mac_set) {
		if ((o->dst_ip[0] & 0xf0) == 0xe0)
			gt_frame_mcast_mac(4, o->dst_ip, o->dst_mac);
		else
			memset(o->dst_mac, 0xff, 6);
	}
	return 0;
}

/* Read @p path whole into @p ob. */
static int
read_object(const char *path, int type, uint64_t id, uint32_t chunk, struct object *ob)
{
	FILE *f = fopen(path, "rb");
	struct stat st;

	memset(ob, 0, sizeof(*ob));
	ob->path = path;
	ob->id = id;
	if (f == NULL || fstat(fileno(f), &st) < 0) {
		fprintf(stderr, "gen-objects: %s: %s\n", path, strerror(errno));
		if (f != NULL)
			fclose(f);
		return -1;
	}
	if (type < 0)
		type = type_from_path(path);
	if (type < 0) {
		fprintf(stderr, "gen-objects: %s: say --type (pdf, jpeg, png, text)\n", path);
		fclose(f);
		return -1;
	}
	ob->type = (uint8_t)type;
	if (st.st_size <= 0 || (uint64_t)st.st_size > INSP_CHUNK_TOTAL_MAX) {
		fprintf(stderr, "gen-objects: %s: %lld bytes: an object has 1 .. %llu\n", path,
			(long long)st.st_size, INSP_CHUNK_TOTAL_MAX);
		fclose(f);
		return -1;
	}
	ob->len = (uint32_t)st.st_size;
	ob->bytes = malloc(ob->len);
	if (ob->bytes == NULL || fread(ob->bytes, 1, ob->len, f) != ob->len) {
		fprintf(stderr, "gen-objects: %s: cannot read it\n", path);
		free(ob->bytes);
		ob->bytes = NULL;
		fclose(f);
		return -1;
	}
	fclose(f);
	ob->count = (uint32_t)(((uint64_t)ob->len + chunk - 1) / chunk);
	if (ob->count > INSP_CHUNK_COUNT_MAX) {
		fprintf(stderr,
			"gen-objects: %s: %" PRIu32 " chunks, above %u: use a larger --chunk\n",
			path, ob->count, INSP_CHUNK_COUNT_MAX);
		return -1;
	}
	return 0;
}

static int
check_faults(const struct options *o, const struct object *ob)
{
	const struct {
		const char *opt;
		const struct fault_list *f;
	} lists[] = {
		{"--drop-chunk", &o->drop},
		{"--dup-chunk", &o->dup},
		{"--overlap", &o->overlap},
		{"--mismatch", &o->mismatch},
	};

	for (size_t l = 0; l < sizeof(lists) / sizeof(lists[0]); l++)
		for (unsigned i = 0; i < lists[l].f->n; i++)
			if (lists[l].f->k[i] >= ob->count) {
				fprintf(stderr,
					"gen-objects: %s %" PRIu32
					": the object has chunks 0..%" PRIu32 "\n",
					lists[l].opt, lists[l].f->k[i], ob->count - 1);
				return -1;
			}
	{
		/* the header rules on label, originator and sizes, before any output exists */
		struct insp_chunk c;
		static uint8_t buf[INSP_CHUNK_FIXED2 + INSP_CHUNK_LABEL_MAX +
				   INSP_CHUNK_ORIGINATOR_MAX + 1];
		const uint8_t one = 0;
		size_t ll = strlen(o->label), ol = strlen(o->originator);

		memset(&c, 0, sizeof(c));
		c.object_id = ob->id;
		c.count = c.total_len = c.data_len = 1;
		c.type = ob->type;
		c.label = (const uint8_t *)o->label;
		c.label_len = (uint16_t)(ll > INSP_CHUNK_LABEL_MAX ? 0 : ll);
		c.label_4774 = o->label_4774;
		c.version = o->v2 ? INSP_CHUNK_VERSION2 : 0;
		c.originator = (const uint8_t *)o->originator;
		c.originator_len = (uint8_t)ol;
		c.data = &one;
		if (ll > INSP_CHUNK_LABEL_MAX || ol > INSP_CHUNK_ORIGINATOR_MAX ||
		    insp_chunk_write(buf, sizeof(buf), &c) == 0) {
			fprintf(stderr, "gen-objects: the label (1..4096 bytes: printable ASCII, "
					"or for a 4774 label UTF-8 without control characters) or "
					"the originator (0..64 of [A-Za-z0-9._@-]) breaks the "
					"header rules\n");
			return -1;
		}
		if ((uint64_t)insp_chunk_fixed_len(&c) + ll + ol + o->chunk > GO_UDP_PAYLOAD_MAX) {
			fprintf(stderr,
				"gen-objects: --chunk %" PRIu32
				" with this label and originator exceeds a UDP datagram\n",
				o->chunk);
			return -1;
		}
	}
	for (unsigned i = 0; i < o->overlap.n; i++)
		if ((uint64_t)o->overlap.k[i] * o->chunk < 16) {
			fprintf(stderr,
				"gen-objects: --overlap %" PRIu32
				": the chunk starts before byte 16\n",
				o->overlap.k[i]);
			return -1;
		}
	return 0;
}

/* Last timestamp in an existing pcap (microseconds), or -1 if none or unreadable. */
static int64_t
last_timestamp(const char *path)
{
	char err[PCAP_ERRBUF_SIZE];
	pcap_t *p = pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_MICRO, err);
	struct pcap_pkthdr *h;
	const u_char *d;
	int64_t last = -1;

	if (p == NULL)
		return -1;
	while (pcap_next_ex(p, &h, &d) == 1)
		last = (int64_t)h->ts.tv_sec * 1000000 + h->ts.tv_usec;
	pcap_close(p);
	return last;
}

static int
open_writer(const struct options *o, struct writer *w)
{
	struct stat st;
	bool exists = stat(o->out, &st) == 0 && st.st_size > 0;
	int64_t start = (o->time_s >= 0 ? o->time_s : GO_START_S) * 1000000;

	if (o->append && exists && o->time_s < 0) {
		int64_t last = last_timestamp(o->out);

		if (last >= 0)
			start = last + o->gap_us;
	}
	w->ts_us = start;
	w->ip_id = 1;
	w->pcap = pcap_open_dead_with_tstamp_precision(DLT_EN10MB, 65535,
						       PCAP_TSTAMP_PRECISION_MICRO);
	if (w->pcap == NULL) {
		fprintf(stderr, "gen-objects: pcap_open_dead failed\n");
		return -1;
	}
	w->dumper = o->append ? pcap_dump_open_append(w->pcap, o->out)
			      : pcap_dump_open(w->pcap, o->out);
	if (w->dumper == NULL) {
		fprintf(stderr, "gen-objects: %s\n", pcap_geterr(w->pcap)); /* names the file */
		return -1;
	}
	w->created = !o->append;
	return 0;
}

static int
close_writer(const struct options *o, struct writer *w)
{
	int rc = 0;

	if (w->dumper != NULL) {
		if (pcap_dump_flush(w->dumper) < 0 || ferror(pcap_dump_file(w->dumper))) {
			fprintf(stderr, "gen-objects: %s: write failed\n", o->out);
			rc = -1;
		}
		pcap_dump_close(w->dumper);
	}
	if (w->pcap != NULL)
		pcap_close(w->pcap);
	return rc;
}

static void
put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* Chunk @p k of @p ob as a frame into the pcap, with its faults. */
static int
emit(const struct options *o, struct writer *w, const struct object *ob, uint32_t k)
{
	struct insp_chunk c;
	struct gt_l2 l2;
	struct gt_ip ip;
	struct gt_udp udp;
	struct pcap_pkthdr h;
	const char *label = o->label;
	size_t n, flen;

	memset(&c, 0, sizeof(c));
	c.object_id = ob->id;
	c.index = k;
	c.count = ob->count;
	c.total_len = ob->len;
	c.offset = k * o->chunk;
	c.data_len = k + 1 < ob->count ? o->chunk : ob->len - c.offset;
	c.type = ob->type;
	c.data = ob->bytes + c.offset;
	if (ob->faults && has_fault(&o->mismatch, k))
		label = strcmp(label, GO_OTHER_LABEL) != 0 ? GO_OTHER_LABEL : GO_OTHER_LABEL_2;
	if (ob->faults && has_fault(&o->overlap, k)) {
		c.offset -= 16; /* the same bytes, said to start 16 earlier */
		c.data = ob->bytes + c.offset;
	}
	c.label = (const uint8_t *)label;
	c.label_len = (uint16_t)strlen(label);
	c.label_4774 = o->label_4774 && label == o->label; /* --mismatch sends a marking */
	c.version = o->v2 ? INSP_CHUNK_VERSION2 : 0;
	c.originator = (const uint8_t *)o->originator;
	c.originator_len = (uint8_t)strlen(o->originator);
	n = insp_chunk_write(w->dgram, sizeof(w->dgram), &c);
	if (n == 0) {
		fprintf(stderr,
			"gen-objects: chunk %" PRIu32 " of object 0x%016" PRIx64
			": the header rules refuse it (label, originator or size)\n",
			k, ob->id);
		return -1;
	}
	if (ob->faults && o->total_lie_set)
		/* after the writer: a lie it would refuse (total: 8 bytes before the offset) */
		put32(w->dgram + insp_chunk_fixed_len(&c) - 8, o->total_lie);

	memset(&l2, 0, sizeof(l2));
	memcpy(l2.dst, o->dst_mac, 6);
	memcpy(l2.src, o->src_mac, 6);
	memset(&ip, 0, sizeof(ip));
	ip.version = 4;
	memcpy(ip.src, o->src_ip, 4);
	memcpy(ip.dst, o->dst_ip, 4);
	ip.ttl = 64;
	ip.id = w->ip_id++;
	ip.df = true;
	memset(&udp, 0, sizeof(udp));
	udp.src_port = o->src_port;
	udp.dst_port = o->dst_port;
	udp.csum = GT_CSUM_GOOD;
	flen = gt_frame_udp(&l2, &ip, &udp, w->dgram, n, w->frame, sizeof(w->frame));
	if (flen == 0) {
		fprintf(stderr, "gen-objects: chunk %" PRIu32 ": %zu bytes do not fit a frame\n", k,
			n);
		return -1;
	}
	memset(&h, 0, sizeof(h));
	h.ts.tv_sec = (time_t)(w->ts_us / 1000000);
	h.ts.tv_usec = (suseconds_t)(w->ts_us % 1000000);
	h.caplen = h.len = (bpf_u_int32)flen;
	pcap_dump((u_char *)w->dumper, &h, w->frame);
	if (ferror(pcap_dump_file(w->dumper))) {
		fprintf(stderr, "gen-objects: %s: write failed\n", o->out);
		return -1;
	}
	w->ts_us += o->gap_us;
	w->frames++;
	w->bytes += flen;
	return 0;
}

/* The chunks of @p ob to send, in order, as far as drop/dup/reverse say: into @p seq
 * (room for 2 x count); the number. */
static uint32_t
sequence(const struct options *o, const struct object *ob, uint32_t *seq)
{
	uint32_t n = 0;

	for (uint32_t i = 0; i < ob->count; i++) {
		uint32_t k = o->reverse && ob->faults ? ob->count - 1 - i : i;

		if (ob->faults && has_fault(&o->drop, k))
			continue;
		seq[n++] = k;
		if (ob->faults && has_fault(&o->dup, k))
			seq[n++] = k;
	}
	return n;
}

static void
describe(const struct options *o, const struct object *ob, uint32_t sent)
{
	printf("object 0x%016" PRIx64 " %s: %s, %" PRIu32 " bytes, %" PRIu32 " chunks of %" PRIu32
	       ", %" PRIu32 " frames, label \"%s\", originator \"%s\"",
	       ob->id, ob->path, insp_obj_type_mime(ob->type), ob->len, ob->count, o->chunk, sent,
	       o->label, o->originator);
	if (ob->faults) {
		const struct {
			const char *name;
			const struct fault_list *f;
		} lists[] = {
			{"drop", &o->drop},
			{"dup", &o->dup},
			{"overlap", &o->overlap},
			{"mismatch", &o->mismatch},
		};

		for (size_t l = 0; l < sizeof(lists) / sizeof(lists[0]); l++)
			for (unsigned i = 0; i < lists[l].f->n; i++)
				printf(", %s %" PRIu32, lists[l].name, lists[l].f->k[i]);
		if (o->total_lie_set)
			printf(", total-lie %" PRIu32, o->total_lie);
		if (o->reverse)
			printf(", reverse");
	}
	printf("\n");
}

int
main(int argc, char **argv)
{
	struct options o;
	struct object a, b;
	struct writer *w = NULL;
	uint32_t *sa = NULL, *sb = NULL, na, nb;
	int rc = 1;

	memset(&b, 0, sizeof(b));
	if (parse_options(argc, argv, &o) < 0)
		return 2;
	if (read_object(o.file, o.type, o.id, o.chunk, &a) < 0)
		goto out;
	a.faults = true;
	if (check_faults(&o, &a) < 0)
		goto out;
	if (o.file2 != NULL &&
	    read_object(o.file2, o.type2 >= 0 ? o.type2 : o.type, o.id + 1, o.chunk, &b) < 0)
		goto out;
	w = calloc(1, sizeof(*w));
	sa = malloc(2 * (size_t)a.count * sizeof(uint32_t));
	sb = malloc(2 * (size_t)(b.count ? b.count : 1) * sizeof(uint32_t));
	if (w == NULL || sa == NULL || sb == NULL) {
		fprintf(stderr, "gen-objects: out of memory\n");
		goto out;
	}
	if (open_writer(&o, w) < 0)
		goto out_close;
	na = sequence(&o, &a, sa);
	nb = o.file2 != NULL ? sequence(&o, &b, sb) : 0;
	for (uint32_t r = 0; r < o.repeat; r++) {
		a.id = o.id + r;
		/* alternate A and B; the longer one's tail goes out alone */
		for (uint32_t i = 0; i < na || i < nb; i++) {
			if (i < na && emit(&o, w, &a, sa[i]) < 0)
				goto out_close;
			if (i < nb && emit(&o, w, &b, sb[i]) < 0)
				goto out_close;
		}
		if (o.repeat <= 16 || r == 0 || r + 1 == o.repeat)
			describe(&o, &a, na);
		else if (r == 1)
			printf("...\n");
	}
	if (o.file2 != NULL)
		describe(&o, &b, nb);
	rc = 0;
out_close:
	if (close_writer(&o, w) < 0)
		rc = 1;
	if (rc != 0 && w->created)
		unlink(o.out); /* no half-written pcap left behind (appended ones are kept) */
	if (rc == 0)
		printf("wrote %" PRIu64 " frames (%" PRIu64 " bytes) to %s%s\n", w->frames,
		       w->bytes, o.out, o.append ? " (appended)" : "");
out:
	free(a.bytes);
	free(b.bytes);
	free(sa);
	free(sb);
	free(w);
	return rc;
}
