module counter(input clk, input rst, input en, output reg [15:0] q);
  always @(posedge clk)
    if (rst) q <= 0;
    else if (en) q <= q + 1;
endmodule
