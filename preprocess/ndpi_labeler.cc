#include "preprocess/ndpi_labeler.h"

#include <cstdlib>

#include "absl/status/status.h"
#include "ndpi_api.h"
#include "preprocess/ndpi_caches.h"

namespace pktgrid {
namespace preprocess {
namespace {

// ndpiReader's defaults (max_num_tcp_dissected_pkts / udp).
constexpr uint32_t kMaxTcpPackets = 80;
constexpr uint32_t kMaxUdpPackets = 24;

}  // namespace

absl::StatusOr<std::unique_ptr<NdpiModule>> NdpiModule::Create() {
  // Same preferences as ndpiReader, so labels match the reference TSV.
  ndpi_detection_module_struct* module =
      ndpi_init_detection_module(ndpi_no_prefs);
  if (module == nullptr) {
    return absl::InternalError("ndpi_init_detection_module failed");
  }
  NDPI_PROTOCOL_BITMASK all;
  NDPI_BITMASK_SET_ALL(all);
  ndpi_set_protocol_detection_bitmask2(module, &all);
  ndpi_finalize_initialization(module);
  std::unique_ptr<NdpiModule> out(new NdpiModule(module));
  // A fresh module has allocated none of its caches; anything else means
  // the layout in the headers does not match the library.
  out->resettable_ = internal::NdpiCachesEmpty(module);
  return out;
}

bool NdpiModule::ResetForNewCapture() {
  if (!resettable_) return false;
  internal::NdpiClearCaches(module_);
  return true;
}

NdpiModule::~NdpiModule() { ndpi_exit_detection_module(module_); }

std::string NdpiModule::ProtocolName(uint16_t id) const {
  const char* name = ndpi_get_proto_name(module_, id);
  return name == nullptr ? "Unknown" : name;
}

std::string NdpiModule::Version() {
  const char* rev = ndpi_revision();
  return rev == nullptr ? "unknown" : rev;
}

void NdpiFlow::FlowFree::operator()(ndpi_flow_struct* flow) const {
  ndpi_free_flow(flow);  // frees nDPI's members, then the struct itself
}

bool NdpiFlow::Process(const NdpiModule& module, const uint8_t* ip,
                       uint32_t len, uint64_t time_ms, uint8_t l4_proto) {
  if (done_) return true;
  if (flow_ == nullptr) {
    // nDPI wants a zeroed struct; calloc matches the free() inside
    // ndpi_free_flow() (no custom allocator is installed).
    flow_.reset(static_cast<ndpi_flow_struct*>(calloc(1, SIZEOF_FLOW_STRUCT)));
    if (flow_ == nullptr) return false;
    l4_proto_ = l4_proto;
  }
  ++packets_;
  const ndpi_protocol proto = ndpi_detection_process_packet(
      module.get(), flow_.get(), ip,
      static_cast<unsigned short>(len > 65535 ? 65535 : len), time_ms);
  master_ = proto.master_protocol;
  app_ = proto.app_protocol;
  category_ = proto.category;
  const bool enough = (l4_proto_ == 6 && packets_ > kMaxTcpPackets) ||
                      (l4_proto_ == 17 && packets_ > kMaxUdpPackets);
  if (enough || app_ != NDPI_PROTOCOL_UNKNOWN) {
    // TLS keeps going for the certificate; the app may still be refined.
    if (!enough && ndpi_extra_dissection_possible(module.get(), flow_.get())) {
      return false;
    }
    Complete(module);
  }
  return done_;
}

const FlowLabel& NdpiFlow::Finish(const NdpiModule& module) {
  if (!done_) Complete(module);
  return label_;
}

void NdpiFlow::Complete(const NdpiModule& module) {
  done_ = true;
  ndpi_confidence_t confidence = NDPI_CONFIDENCE_UNKNOWN;
  if (flow_ != nullptr) {
    if (app_ == NDPI_PROTOCOL_UNKNOWN) {
      uint8_t guessed = 0;
      const ndpi_protocol proto =
          ndpi_detection_giveup(module.get(), flow_.get(), 1, &guessed);
      master_ = proto.master_protocol;
      app_ = proto.app_protocol;
      category_ = proto.category;
      label_.guessed = guessed != 0;
    }
    confidence = flow_->confidence;
  }
  label_.master_id = master_;
  label_.app_id = app_;
  label_.category_id = category_;
  label_.confidence_id = static_cast<uint8_t>(confidence);
  label_.master = module.ProtocolName(master_);
  label_.app = module.ProtocolName(app_);
  label_.label = app_ != NDPI_PROTOCOL_UNKNOWN ? label_.app : label_.master;
  const char* category = ndpi_category_get_name(
      module.get(), static_cast<ndpi_protocol_category_t>(category_));
  label_.category = category == nullptr ? "" : category;
  label_.confidence = ndpi_confidence_get_name(confidence);
  flow_.reset();  // the label is final; give nDPI's memory back now
}

}  // namespace preprocess
}  // namespace pktgrid
