#pragma once
// The border as a value: what the image holds outside its edges. Plans need it (a fractional
// constant cannot be summed in integers) and engines apply it (engine/border.hpp).

namespace sepconv {

enum class BorderKind { reflect101, reflect, replicate, constant, wrap, valid };

struct Border {
  BorderKind kind = BorderKind::reflect101;
  double value = 0;  ///< the constant for BorderKind::constant
};

}  // namespace sepconv
