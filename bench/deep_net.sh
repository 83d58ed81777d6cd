# Sourced by bench/compile_time.sh and bench/compile_compare.sh.
# deep_net DEPTH SIZE: prints the C++ of a plain network of DEPTH layers on a 16xSIZExSIZE
# input, `Net`: (DEPTH - 2) / 3 blocks of Conv2D 3x3 (pad 1) + BatchNorm + ReLU, ReLUs up to
# the depth, then GlobalAvgPool and Dense<10>. Parameters: blocks * (16*16*9 + 16 + 32) + 170.
deep_net() {
  local depth=$1 size=$2 blocks=$(( ($1 - 2) / 3 ))
  echo 'namespace tn = typenet;'
  echo 'using Block = tn::Conv2D<16, tn::Kernel<3>, tn::Pad<1>>;'
  echo -n "using Net = tn::Sequential<tn::Input<16, $size, $size>"
  for ((i = 0; i < blocks; ++i)); do echo -n ', Block, tn::BatchNorm, tn::ReLU'; done
  for ((i = blocks * 3; i < depth - 2; ++i)); do echo -n ', tn::ReLU'; done
  echo ', tn::GlobalAvgPool, tn::Dense<10>>;'
}
