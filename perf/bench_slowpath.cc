// SPDX-License-Identifier: BSD-3-Clause
//
// Object throughput of the slow path's inspection (control/slowpath, sp_object.h), MB/s of
// object bytes, on objects made at start-up (nothing read from disk but the policy):
//   object/pdf    a ~1 MB PDF of text pages (Helvetica, uncompressed content streams,
//                 ~1 MB of text): libmagic, qpdf walk of every object, poppler text of every
//                 page, the envelope's decision (label, Hyperscan scan of all the text)
//   object/jpeg   a 2 Mpixel (1600x1250) JPEG of noise, Q 85: decode, fresh JPEG Q 90
//   object/png    a 1 Mpixel (1000x1000) RGB PNG: decode, fresh PNG
//   object/text   1 MB of UTF-8 prose: libmagic, the text rule, the decision
// and the stages on their own: pdf/scan (qpdf), pdf/text (poppler), type/pdf (libmagic on
// the PDF), image/jpeg-cdr and image/png-cdr (libvips alone).
//   GUARD_BENCH_POLICY  policy file (default: rules/sample-policy.yaml), channel objects_out
// The channel's release mode does not matter: a review and a release cost the same.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include <vips/vips.h>

extern "C" {
#include "insp_chunk.h"
#include "insp_inspect.h"
#include "pc_policy.h"
#include "sp_image.h"
#include "sp_object.h"
#include "sp_pdf.h"
#include "sp_type.h"
}

namespace
{

const char *const kLabel = "NATO UNCLASSIFIED//REL TO NATO";

// Harmless prose: no term, marking or portion mark of the sample policy.
const char *const kSentences[] = {
	"The convoy left the northern depot at dawn and reached the river crossing by noon.",
	"Fuel, water and rations were checked at each stop; the vehicles needed no repairs.",
	"Weather over the valley stayed clear, with light winds from the west all afternoon.",
	"The engineers finished the bridge survey and sent their notes to the planning cell.",
	"A medical team visited the two villages east of the road and treated minor injuries.",
	"Radio checks every hour went well; the relay on the ridge worked without a fault.",
};

std::string
prose(size_t bytes)
{
	std::string s;
	size_t i = 0;

	while (s.size() < bytes) {
		s += kSentences[i % 6];
		s += (++i % 4) ? " " : "\n";
	}
	s.resize(bytes);
	while (!s.empty() && (s.back() & 0x80)) // cut on a character boundary
		s.pop_back();
	return s;
}

std::string
pdf_escape(const std::string &s)
{
	std::string o;

	for (char c : s) {
		if (c == '(' || c == ')' || c == '\\')
			o += '\\';
		o += c;
	}
	return o;
}

// A PDF whose pages hold @p text_bytes of text, 50 lines of up to 90 characters a page.
std::string
text_pdf(size_t text_bytes)
{
	std::string text = prose(text_bytes);
	std::vector<std::string> pages;
	std::vector<std::string> objs;
	size_t pos = 0;

	while (pos < text.size()) {
		std::string content = "BT /F1 9 Tf 11 TL 36 770 Td\n";
		for (int line = 0; line < 50 && pos < text.size(); line++) {
			size_t n = std::min<size_t>(90, text.size() - pos);
			size_t nl = text.find('\n', pos);
			if (nl != std::string::npos && nl < pos + n)
				n = nl - pos + 1;
			std::string l = text.substr(pos, n);
			if (!l.empty() && l.back() == '\n')
				l.pop_back();
			content += "(" + pdf_escape(l) + ") Tj T*\n";
			pos += n;
		}
		content += "ET";
		pages.push_back(content);
	}
	size_t np = pages.size();
	std::string kids;
	for (size_t i = 0; i < np; i++)
		kids += std::to_string(4 + 2 * i) + " 0 R ";
	objs.push_back("<< /Type /Catalog /Pages 2 0 R >>");
	objs.push_back("<< /Type /Pages /Kids [" + kids + "] /Count " + std::to_string(np) + " >>");
	objs.push_back("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
	for (size_t i = 0; i < np; i++) {
		objs.push_back("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents " +
			       std::to_string(5 + 2 * i) +
			       " 0 R /Resources << /Font << /F1 3 0 R >> >> >>");
		objs.push_back("<< /Length " + std::to_string(pages[i].size()) + " >>\nstream\n" +
			       pages[i] + "\nendstream");
	}
	std::string out = "%PDF-1.7\n%\xe2\xe3\xcf\xd3\n";
	std::vector<size_t> off;
	for (size_t i = 0; i < objs.size(); i++) {
		off.push_back(out.size());
		out += std::to_string(i + 1) + " 0 obj\n" + objs[i] + "\nendobj\n";
	}
	size_t xref = out.size();
	char line[32];
	out += "xref\n0 " + std::to_string(objs.size() + 1) + "\n0000000000 65535 f \n";
	for (size_t o : off) {
		snprintf(line, sizeof(line), "%010zu 00000 n \n", o);
		out += line;
	}
	out += "trailer\n<< /Size " + std::to_string(objs.size() + 1) + " /Root 1 0 R >>\n";
	out += "startxref\n" + std::to_string(xref) + "\n%%EOF\n";
	return out;
}

// A noise image saved by vips (".jpg[Q=85]" or ".png").
std::string
noise_image(int w, int h, double sigma, const char *suffix)
{
	VipsImage *n = nullptr, *rgb = nullptr;
	void *buf = nullptr;
	size_t len = 0;
	std::string out;

	if (vips_gaussnoise(&n, w, h, "mean", 128.0, "sigma", sigma, nullptr) == 0 &&
	    vips_colourspace(n, &rgb, VIPS_INTERPRETATION_sRGB, nullptr) == 0 &&
	    vips_image_write_to_buffer(rgb, suffix, &buf, &len, nullptr) == 0)
		out.assign(static_cast<const char *>(buf), len);
	g_free(buf);
	if (rgb)
		g_object_unref(rgb);
	if (n)
		g_object_unref(n);
	return out;
}

struct Setup {
	insp_policy *policy = nullptr;
	insp_scratch *scratch = nullptr;
	sp_ctx *ctx = nullptr;
	uint32_t channel = 0;
	std::string pdf, jpeg, png, text;
	std::string error;

	Setup()
	{
		const char *path = getenv("GUARD_BENCH_POLICY");
		insp_err err;
		char why[256];

		policy = pc_policy_load_file(path ? path : "rules/sample-policy.yaml", &err);
		if (policy == nullptr) {
			error = err.msg;
			return;
		}
		channel = UINT32_MAX;
		for (uint32_t i = 0; i < policy->n_channels; i++)
			if (strcmp(policy->channels[i].name, "objects_out") == 0)
				channel = i;
		if (channel == UINT32_MAX) {
			error = "no channel objects_out";
			return;
		}
		if ((ctx = sp_ctx_create(nullptr, why, sizeof(why))) == nullptr) {
			error = why;
			return;
		}
		scratch = insp_scratch_create(policy, sp_scratch_size(policy, nullptr));
		pdf = text_pdf(1000000);
		jpeg = noise_image(1600, 1250, 40, ".jpg[Q=85]");
		png = noise_image(1000, 1000, 8, ".png");
		text = prose(1 << 20);
		if (scratch == nullptr || jpeg.empty() || png.empty())
			error = "set-up failed";
	}
};

Setup &
setup()
{
	static Setup s;
	return s;
}

const std::string &
object_of(int type)
{
	Setup &s = setup();
	return type == INSP_OBJ_PDF    ? s.pdf
	       : type == INSP_OBJ_JPEG ? s.jpeg
	       : type == INSP_OBJ_PNG  ? s.png
				       : s.text;
}

void
BM_object(benchmark::State &state, int type)
{
	Setup &s = setup();
	const std::string &obj = object_of(type);
	sp_outcome out{};

	if (!s.error.empty()) {
		state.SkipWithError(s.error.c_str());
		return;
	}
	sp_object o{};
	o.data = reinterpret_cast<const uint8_t *>(obj.data());
	o.len = obj.size();
	o.declared_type = static_cast<uint8_t>(type);
	o.label = kLabel;
	o.label_len = strlen(kLabel);
	o.id = 0x1234;
	o.channel = s.channel;
	for (auto _ : state) {
		sp_object_inspect(s.ctx, s.policy, s.scratch, &o, INT64_C(1795341600000), &out);
		if (out.kind == SP_REFUSE) {
			state.SkipWithError(out.detail);
			break;
		}
		benchmark::DoNotOptimize(out.content);
		sp_outcome_free(&out);
	}
	sp_outcome_free(&out);
	state.SetBytesProcessed(int64_t(state.iterations()) * int64_t(obj.size()));
	state.counters["object_bytes"] = double(obj.size());
}

void
BM_pdf_scan(benchmark::State &state)
{
	const std::string &pdf = setup().pdf;
	sp_pdf_report *scan = new sp_pdf_report;

	for (auto _ : state) {
		if (sp_pdf_scan(reinterpret_cast<const uint8_t *>(pdf.data()), pdf.size(), nullptr,
				scan) != INSP_R_RELEASE) {
			state.SkipWithError(scan->detail);
			break;
		}
	}
	delete scan;
	state.SetBytesProcessed(int64_t(state.iterations()) * int64_t(pdf.size()));
}

void
BM_pdf_text(benchmark::State &state)
{
	const std::string &pdf = setup().pdf;
	char detail[INSP_DETAIL_MAX];

	for (auto _ : state) {
		char *text = nullptr;
		size_t len = 0;

		if (sp_pdf_text(reinterpret_cast<const uint8_t *>(pdf.data()), pdf.size(), nullptr,
				-1, &text, &len, detail, sizeof(detail)) != INSP_R_RELEASE) {
			state.SkipWithError(detail);
			break;
		}
		free(text);
	}
	state.SetBytesProcessed(int64_t(state.iterations()) * int64_t(pdf.size()));
}

void
BM_type(benchmark::State &state, int type)
{
	const std::string &obj = object_of(type);
	char why[128], mime[SP_MIME_MAX];
	sp_type *t = sp_type_create(why, sizeof(why));

	for (auto _ : state)
		benchmark::DoNotOptimize(sp_type_detect(
			t, reinterpret_cast<const uint8_t *>(obj.data()), obj.size(), mime));
	sp_type_free(t);
	state.SetBytesProcessed(int64_t(state.iterations()) * int64_t(obj.size()));
}

void
BM_cdr(benchmark::State &state, int type)
{
	const std::string &obj = object_of(type);
	char detail[INSP_DETAIL_MAX];
	sp_image_info info;

	for (auto _ : state) {
		uint8_t *out = nullptr;
		size_t len = 0;

		if (sp_image_cdr(unsigned(type), reinterpret_cast<const uint8_t *>(obj.data()),
				 obj.size(), 0, &out, &len, &info, detail,
				 sizeof(detail)) != INSP_R_RELEASE) {
			state.SkipWithError(detail);
			break;
		}
		free(out);
	}
	state.SetBytesProcessed(int64_t(state.iterations()) * int64_t(obj.size()));
}

} // namespace

BENCHMARK_CAPTURE(BM_object, pdf, INSP_OBJ_PDF)
	->Name("object/pdf")
	->Unit(benchmark::kMillisecond)
	->UseRealTime();
BENCHMARK_CAPTURE(BM_object, jpeg, INSP_OBJ_JPEG)
	->Name("object/jpeg")
	->Unit(benchmark::kMillisecond)
	->UseRealTime();
BENCHMARK_CAPTURE(BM_object, png, INSP_OBJ_PNG)
	->Name("object/png")
	->Unit(benchmark::kMillisecond)
	->UseRealTime();
BENCHMARK_CAPTURE(BM_object, text, INSP_OBJ_TEXT)
	->Name("object/text")
	->Unit(benchmark::kMillisecond)
	->UseRealTime();
BENCHMARK(BM_pdf_scan)->Name("pdf/scan")->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_pdf_text)->Name("pdf/text")->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(BM_type, pdf, INSP_OBJ_PDF)
	->Name("type/pdf")
	->Unit(benchmark::kMicrosecond)
	->UseRealTime();
BENCHMARK_CAPTURE(BM_type, text, INSP_OBJ_TEXT)
	->Name("type/text")
	->Unit(benchmark::kMicrosecond)
	->UseRealTime();
BENCHMARK_CAPTURE(BM_cdr, jpeg, INSP_OBJ_JPEG)
	->Name("image/jpeg-cdr")
	->Unit(benchmark::kMillisecond)
	->UseRealTime();
BENCHMARK_CAPTURE(BM_cdr, png, INSP_OBJ_PNG)
	->Name("image/png-cdr")
	->Unit(benchmark::kMillisecond)
	->UseRealTime();

int
main(int argc, char **argv)
{
	char why[256];

	if (sp_image_init(argv[0], why, sizeof(why)) != 0) {
		fprintf(stderr, "bench_slowpath: %s\n", why);
		return 1;
	}
	benchmark::Initialize(&argc, argv);
	if (benchmark::ReportUnrecognizedArguments(argc, argv))
		return 1;
	benchmark::RunSpecifiedBenchmarks();
	benchmark::Shutdown();
	sp_image_shutdown();
	return 0;
}
