#include "storage/dataset_file.h"

#include <fstream>
#include <sstream>

#include "gtest/gtest.h"
#include "storage/artifact_store.h"
#include "storage/sha256.h"

namespace pktgrid {
namespace {

Dataset Tiny() {
  Dataset d;
  d.class_names = {"BitTorrent", "YouTube"};
  d.feature_bytes = 4;
  d.features = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
  d.labels = {0, 1, 1};
  d.splits = {Split::kTrain, Split::kVal, Split::kTest};
  d.flow_ids = {7, 8, 8};
  return d;
}

std::string ReadAll(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  std::stringstream s;
  s << file.rdbuf();
  return s.str();
}

TEST(Sha256, KnownDigests) {
  EXPECT_EQ(Sha256Hex(""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(DatasetFile, RoundTripsExactly) {
  const std::string path = ::testing::TempDir() + "/tiny.pktds";
  ASSERT_TRUE(WriteDatasetFile(path, Tiny()).ok());
  const std::string bytes = ReadAll(path);
  // 8 magic + 4 version + 4 width + 8 rows + 4 classes + (2+10) + (2+7)
  // + 3*2 labels + 3 splits + 3*4 flows + 12 features + 32 digest.
  EXPECT_EQ(bytes.size(), 8u + 4 + 4 + 8 + 4 + 12 + 9 + 6 + 3 + 12 + 12 + 32);
  EXPECT_EQ(bytes.substr(0, 8), "PKTGRIDD");

  auto read = ReadDatasetFile(path);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->class_names, Tiny().class_names);
  EXPECT_EQ(read->feature_bytes, 4u);
  EXPECT_EQ(read->features, Tiny().features);
  EXPECT_EQ(read->labels, Tiny().labels);
  EXPECT_EQ(read->flow_ids, Tiny().flow_ids);
  EXPECT_EQ(read->RowsOf(Split::kTest), std::vector<size_t>{2});
  EXPECT_EQ(read->row(1)[0], 5);
}

TEST(DatasetFile, CorruptAndTruncatedFilesAreNamed) {
  const std::string path = ::testing::TempDir() + "/corrupt.pktds";
  ASSERT_TRUE(WriteDatasetFile(path, Tiny()).ok());
  std::string bytes = ReadAll(path);
  bytes[60] ^= 0x01;
  auto corrupt = ParseDataset(bytes, "corrupt.pktds");
  ASSERT_FALSE(corrupt.ok());
  EXPECT_EQ(corrupt.status().message(),
            "corrupt.pktds: dataset checksum mismatch (file is corrupt or "
            "truncated)");
  auto truncated = ParseDataset(bytes.substr(0, 20), "t.pktds");
  ASSERT_FALSE(truncated.ok());
  auto not_dataset = ParseDataset(std::string(64, 'x'), "x.bin");
  ASSERT_FALSE(not_dataset.ok());
  EXPECT_EQ(not_dataset.status().message(),
            "x.bin: not a pktgrid dataset file (bad magic)");
  auto missing = ReadDatasetFile("/nonexistent/d.pktds");
  EXPECT_EQ(missing.status().message(), "/nonexistent/d.pktds: cannot open");
}

TEST(DatasetFile, RejectsInconsistentDatasets) {
  Dataset d = Tiny();
  d.labels[2] = 5;
  absl::Status s = WriteDatasetFile(::testing::TempDir() + "/bad.pktds", d);
  EXPECT_EQ(s.message(), "dataset: row 2 has label 5 but there are 2 classes");
}

TEST(ArtifactStore, ContentAddressedAndVerified) {
  ArtifactStore store(::testing::TempDir() + "/artifacts");
  auto sha = store.Put("model", "abc");
  ASSERT_TRUE(sha.ok()) << sha.status();
  EXPECT_EQ(*sha, Sha256Hex("abc"));
  EXPECT_TRUE(store.Has("model", *sha));
  EXPECT_EQ(*store.Read("model", *sha), "abc");

  auto writer = store.NewWriter("model");
  ASSERT_TRUE(writer.ok());
  ASSERT_TRUE((*writer)->Append("xyz").ok());
  auto wrong = (*writer)->Finish(Sha256Hex("other"));
  ASSERT_FALSE(wrong.ok());
  EXPECT_FALSE(store.Has("model", Sha256Hex("xyz")));
}

}  // namespace
}  // namespace pktgrid
