/** The BERT family, the WordPiece tokenizer, Hugging Face checkpoint IO and the ranking model heads. */
package dev.ranker4j.transformer;
