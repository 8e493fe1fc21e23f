// The one translation unit that compiles Asio (BOOST_ASIO_SEPARATE_COMPILATION): every other
// file includes Asio's headers without its implementation, which keeps rebuilds short.
#include <boost/asio/impl/src.hpp>
#include <boost/asio/ssl/impl/src.hpp>
