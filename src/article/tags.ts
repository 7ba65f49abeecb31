/** The controlled tag vocabulary: canonical slugs, their aliases, and a normaliser. */

/** Canonical tags with the keywords that suggest them (used by the extractive summarizer and the topic filter). */
export const TAG_VOCABULARY: Readonly<Record<string, readonly string[]>> = {
  "ai-agents": ["agent", "agents", "agentic", "autonomous agent", "tool use"],
  "ai-ethics": ["ethics", "ethical", "bias", "fairness", "responsible ai"],
  "ai-safety": ["safety", "alignment", "misalignment", "x-risk", "red team", "jailbreak"],
  "ai-policy": ["regulation", "policy", "legislation", "ai act", "lawmakers", "government"],
  "ai-sovereignty": ["sovereignty", "sovereign", "national ai", "data sovereignty"],
  "ai-hardware": ["gpu", "gpus", "tpu", "accelerator", "nvidia", "chip", "chips", "hardware"],
  "ai-research": ["paper", "arxiv", "research", "benchmark", "study"],
  "ai-business": ["startup", "funding", "raises", "valuation", "revenue", "commercialization", "investors"],
  "ai-chips": ["semiconductor", "tsmc", "asic"],
  anthropic: ["anthropic"],
  claude: ["claude"],
  openai: ["openai", "chatgpt", "gpt-4", "gpt-5", "sam altman"],
  "google-deepmind": ["deepmind", "gemini", "google ai"],
  meta: ["meta ai", "llama"],
  "yann-lecun": ["lecun", "yann lecun"],
  llms: ["llm", "large language model", "language model", "language models"],
  "open-source-ai": ["open source", "open-source", "open weights", "open-weight", "open model", "open models"],
  "code-generation": ["code generation", "coding assistant", "copilot", "codegen", "vibe coding"],
  "developer-tools": ["developer", "developers", "ide", "sdk", "api", "tooling"],
  "machine-learning": ["machine learning", "neural network", "deep learning", "training"],
  "computer-vision": ["vision", "image recognition", "diffusion", "image generation"],
  robotics: ["robot", "robots", "robotics", "humanoid"],
  "world-models": ["world model", "world models", "physical world", "jepa"],
  "global-ai-policy": ["global south", "international", "united nations", "geopolitics"],
  "ai-race": ["ai race", "arms race", "china", "competition"],
  inference: ["inference", "serving", "quantization", "latency", "tokens per second"],
  "local-ai": ["local model", "run locally", "consumer hardware", "on-device", "llama.cpp", "ollama"],
  privacy: ["privacy", "surveillance", "personal data"],
  copyright: ["copyright", "licensing", "lawsuit", "fair use"],
  "ai-jobs": ["jobs", "labor", "workers", "employment", "layoffs"],
  education: ["education", "students", "teachers", "school"],
  healthcare: ["health", "medical", "healthcare", "clinical"],
  security: ["security", "vulnerability", "exploit", "malware", "prompt injection"],
  discussion: ["ask hn", "discussion", "debate"],
};

/** Other spellings editors and models use, mapped to the canonical slug. */
export const TAG_ALIASES: Readonly<Record<string, string>> = {
  llm: "llms",
  "large-language-models": "llms",
  agents: "ai-agents",
  "ai-agent": "ai-agents",
  "open-source": "open-source-ai",
  "open-weights": "open-source-ai",
  "opensource-ai": "open-source-ai",
  ethics: "ai-ethics",
  safety: "ai-safety",
  alignment: "ai-safety",
  regulation: "ai-policy",
  policy: "ai-policy",
  chatgpt: "openai",
  gemini: "google-deepmind",
  deepmind: "google-deepmind",
  lecun: "yann-lecun",
  ml: "machine-learning",
  "deep-learning": "machine-learning",
  coding: "code-generation",
  codegen: "code-generation",
  "dev-tools": "developer-tools",
  gpus: "ai-hardware",
  hardware: "ai-hardware",
  "local-llms": "local-ai",
  sovereignty: "ai-sovereignty",
};

export const TAGS: readonly string[] = Object.keys(TAG_VOCABULARY);

/** Lowercase, hyphenated form of any label: "Open Source AI" → "open-source-ai". */
export function slugifyTag(label: string): string {
  return label
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/^#/, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

/**
 * The canonical slug for a tag, or null when it is not in the vocabulary.
 * `extra` lists tags a config allows beyond the built-in vocabulary.
 */
export function canonicalTag(label: string, extra: readonly string[] = []): string | null {
  const slug = slugifyTag(label);
  if (!slug) return null;
  if (slug in TAG_VOCABULARY || extra.includes(slug)) return slug;
  return TAG_ALIASES[slug] ?? null;
}

/** Canonical, de-duplicated tags in their given order; unknown ones dropped. */
export function canonicalTags(labels: readonly string[], extra: readonly string[] = []): string[] {
  const seen = new Set<string>();
  for (const label of labels) {
    const tag = canonicalTag(label, extra);
    if (tag) seen.add(tag);
  }
  return [...seen];
}
